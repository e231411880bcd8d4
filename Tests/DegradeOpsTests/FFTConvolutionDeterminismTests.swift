import DegradeMedia
import DegradeOps
import Testing

@Suite struct FFTConvolutionDeterminism {
    @Test func repeatedAndConcurrentCallsGiveIdenticalBits() async throws {
        let image = TestImages.random(width: 45, height: 31, seed: 10)
        let kernel = try BlurKernel(shape: .sinc(omega: 1.3), size: 21)
        let first = Convolution.applyFFT(kernel, to: image)
        let results = await withTaskGroup(of: Image.self) { group in
            for _ in 0..<6 { group.addTask { Convolution.applyFFT(kernel, to: image) } }
            return await group.reduce(into: [Image]()) { $0.append($1) }
        }
        #expect(results.count == 6)
        for result in results { #expect(result == first) }
    }

    /// Many grid sizes at once, from concurrent tasks: more than the plan cache holds, so plans are evicted and
    /// destroyed while others are being created and executed.
    @Test func manyGridSizesConcurrently() async throws {
        let kernel = try BlurKernel(shape: .gaussian(sigmaX: 0.8, sigmaY: 0.6, theta: 0.2), size: 3)
        var sizes: [(Int, Int)] = []
        for height in [1, 9, 17] { for width in stride(from: 6, through: 400, by: 12) { sizes.append((width, height)) } }
        let worst = await withTaskGroup(of: Float.self) { group in
            for (width, height) in sizes {
                group.addTask {
                    let image = TestImages.random(width: width, height: height, channels: 1, seed: UInt64(width * height))
                    return TestImages.maxAbsDifference(
                        Convolution.applyFFT(kernel, to: image), Convolution.applyDirect(kernel, to: image))
                }
            }
            return await group.reduce(0) { max($0, $1) }
        }
        #expect(worst < 1e-5)
    }
}
