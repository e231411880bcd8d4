import DegradeMedia
import DegradeRandom
import Testing
@testable import DegradeOps

@Suite struct GaussianNoiseTests {
    typealias T = NoiseTestSupport

    @Test(arguments: [false, true])
    func flatImageNoiseHasZeroMeanAndStdSigma(gray: Bool) throws {
        let input = T.flat(0.5)
        var image = input
        let sigma: Float = 0.1
        try GaussianNoise.apply(&image, sigma: sigma, gray: gray, key: T.key, substream: 0)
        // Gray noise repeats one plane, so only a third of the samples are independent.
        let noise = gray ? Array(T.difference(image, input).prefix(input.planeSize)) : T.difference(image, input)
        let n = Double(noise.count)
        let (mean, variance) = T.meanAndVariance(noise)
        let s = Double(sigma)
        #expect(abs(mean) < 5 * s / n.squareRoot())
        #expect(abs(variance.squareRoot() - s) < 5 * s / (2 * n).squareRoot())
    }

    @Test func grayNoiseIsIdenticalAcrossChannelsAndColourIsNot() throws {
        var gray = T.flat(0.5)
        try GaussianNoise.apply(&gray, sigma: 0.05, gray: true, key: T.key, substream: 1)
        #expect(T.plane(gray, 0) == T.plane(gray, 1) && T.plane(gray, 1) == T.plane(gray, 2))
        #expect(T.plane(gray, 0) != T.plane(T.flat(0.5), 0))
        var colour = T.flat(0.5)
        try GaussianNoise.apply(&colour, sigma: 0.05, gray: false, key: T.key, substream: 1)
        let same = zip(T.plane(colour, 0), T.plane(colour, 1)).filter { $0 == $1 }.count
        #expect(same < colour.planeSize / 100)
        // The gray field is the colour field's first plane (both are elements 0..<H·W of the same field).
        #expect(T.plane(colour, 0) == T.plane(gray, 0))
    }

    @Test func sameKeyIsReproducibleAndSubstreamsDiffer() throws {
        var a = T.flat(0.3, width: 17, height: 9), b = a, c = a
        try GaussianNoise.apply(&a, sigma: 0.02, gray: false, key: T.key, substream: 4)
        try GaussianNoise.apply(&b, sigma: 0.02, gray: false, key: T.key, substream: 4)
        try GaussianNoise.apply(&c, sigma: 0.02, gray: false, key: T.key, substream: 5)
        #expect(a.pixels.map(\.bitPattern) == b.pixels.map(\.bitPattern))
        #expect(zip(a.pixels, c.pixels).filter { $0 == $1 }.count < a.pixels.count / 100)
    }

    /// The op adds σ·(field element c·H·W + i) to sample (c, i): check against the field directly.
    @Test func usesTheDocumentedFieldElements() throws {
        var image = T.flat(0, width: 5, height: 3)
        try GaussianNoise.apply(&image, sigma: 1, gray: false, key: T.key, substream: 9)
        var field = [Float](repeating: 0, count: image.pixels.count)
        field.withUnsafeMutableBufferPointer { RandomField.fillNormal($0, key: T.key, substream: 9, start: 0) }
        #expect(image.pixels == field)
    }

    @Test func valuesAreNotClipped() throws {
        var bright = T.flat(0.98)
        try GaussianNoise.apply(&bright, sigma: 0.1, gray: false, key: T.key, substream: 2)
        #expect(bright.pixels.contains { $0 > 1 })
        var dark = T.flat(0.02)
        try GaussianNoise.apply(&dark, sigma: 0.1, gray: true, key: T.key, substream: 2)
        #expect(dark.pixels.contains { $0 < 0 })
    }

    @Test func zeroSigmaIsIdentityAndBadSigmaThrows() throws {
        var image = T.flat(0.4, width: 8, height: 8)
        try GaussianNoise.apply(&image, sigma: 0, gray: false, key: T.key, substream: 0)
        #expect(image == T.flat(0.4, width: 8, height: 8))
        for bad: Float in [-0.1, .nan, .infinity] {
            #expect(throws: OpError.self) { try GaussianNoise.apply(&image, sigma: bad, gray: false, key: T.key, substream: 0) }
        }
    }
}
