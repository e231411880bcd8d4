import DegradeMedia
import DegradeOps
import Testing

@Suite struct UnsharpMasking {
    @Test func constantImageIsUnchanged() {
        let image = TestImages.constant(0.4, width: 30, height: 20)
        #expect(UnsharpMask.apply(image) == image)
    }

    /// A vertical step from 0.2 to 0.8 at x = 64 on a 128-wide strip.
    func stepImage() -> Image {
        var image = Image(width: 128, height: 6, channels: 1)
        for y in 0..<6 { for x in 0..<128 { image.pixels[y * 128 + x] = x < 64 ? 0.2 : 0.8 } }
        return image
    }

    @Test func steepensEdgesAndLeavesDistantFlatRegionsAlone() {
        let image = stepImage()
        let out = UnsharpMask.apply(image)
        for y in 0..<6 {
            let row = Array(out.pixels[(y * 128)..<((y + 1) * 128)])
            // Undershoot on the dark side and overshoot on the bright side of the edge.
            #expect(row[63] < 0.2 - 0.05)
            #expect(row[64] > 0.8 + 0.05)
            #expect(row[64] - row[63] > 0.6 + 0.1)
            // The 51-tap Gaussian reaches 25 px; the residual mask and its blur together reach < 50 px.
            for x in 0..<14 { #expect(row[x] == 0.2) }
            for x in 114..<128 { #expect(row[x] == 0.8) }
        }
    }

    @Test func staysWithinUnitRange() {
        let image = TestImages.random(width: 40, height: 36, seed: 7)
        let out = UnsharpMask.apply(image, weight: 3)
        #expect(out.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(out != image)
    }

    @Test func matchesTheTwoDimensionalDefinition() {
        // The spec's formulas with a full 2-D G = g gᵀ and the naive reference correlation.
        let image = TestImages.random(width: 14, height: 11, channels: 2, seed: 8)
        let size = 9, sigma = 2.0, weight: Float = 0.5, threshold: Float = 10
        let g = BlurKernel.gaussian1D(size: size, sigma: sigma)
        var kernel = [Float](repeating: 0, count: size * size)
        for j in 0..<size { for i in 0..<size { kernel[j * size + i] = g[j] * g[i] } }
        let blur = TestImages.naiveCorrelation(kernel, size: size, image)
        var mask = image
        for i in mask.pixels.indices {
            mask.pixels[i] = abs(image.pixels[i] - blur.pixels[i]) * 255 > threshold ? 1 : 0
        }
        let soft = TestImages.naiveCorrelation(kernel, size: size, mask)
        var expected = image
        for i in expected.pixels.indices {
            let res = image.pixels[i] - blur.pixels[i]
            let sharp = min(max(image.pixels[i] + weight * res, 0), 1)
            expected.pixels[i] = soft.pixels[i] * sharp + (1 - soft.pixels[i]) * image.pixels[i]
        }
        let out = UnsharpMask.apply(image, radius: size, sigma: sigma, weight: weight, threshold: threshold)
        #expect(TestImages.maxAbsDifference(out, expected) < 1e-5)
    }
}
