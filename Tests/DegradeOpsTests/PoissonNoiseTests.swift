import DegradeMedia
import DegradeRandom
import Foundation
import Testing
@testable import DegradeOps

@Suite struct PoissonNoiseTests {
    typealias T = NoiseTestSupport

    /// A flat image has one level, so vals = 1 and noise = (Poisson(x) − x)·scale: mean 0, variance x·scale².
    @Test func flatImageVarianceIsXTimesScaleSquared() throws {
        let input = T.flat(0.4)  // 0.4·255 = 102 exactly, so x = 0.4
        var image = input
        let scale: Float = 2
        try PoissonNoise.apply(&image, scale: scale, gray: false, key: T.key, substream: 0)
        let noise = T.difference(image, input)
        let n = Double(noise.count)
        let x = Double(Float(102) / 255), s2 = Double(scale * scale)
        let (mean, variance) = T.meanAndVariance(noise)
        #expect(abs(mean) < 5 * (x * s2 / n).squareRoot())
        #expect(abs(variance - x * s2) < 5 * ((x + 2 * x * x) / n).squareRoot() * s2)
    }

    @Test func levelCountIsTheNextPowerOfTwo() {
        let cases = [(1, 1), (2, 2), (3, 4), (4, 4), (5, 8), (129, 256), (256, 256)]
        for (distinct, vals) in cases { #expect(PoissonNoise.levelCount(distinct: distinct) == vals) }
    }

    /// Three levels ⇒ vals = 4: every `noise/scale + x` is a multiple of 1/4, not always of 1/2, and each level's noise
    /// variance is x/4·scale².
    @Test func threeLevelsGiveValsFour() throws {
        let levels: [Float] = [0.2, 0.6, 1.0]  // codes 51, 153, 255
        let w = 48, h = 48
        let input = Image(width: w, height: h, pixels: (0..<(w * h * 3)).map { levels[$0 % 3] })
        var image = input
        try PoissonNoise.apply(&image, scale: 1, gray: false, key: T.key, substream: 3)
        var quarters: [[Double]] = [[], [], []]
        for (i, (o, v)) in zip(image.pixels, input.pixels).enumerated() {
            quarters[i % 3].append((Double(o) - Double(v) + Double(levels[i % 3])) * 4)
        }
        let all = quarters.flatMap { $0 }
        #expect(all.allSatisfy { abs($0 - $0.rounded()) < 1e-3 && $0 > -1e-3 })
        #expect(all.contains { Int($0.rounded()) % 2 != 0 })
        for (level, q) in zip(levels, quarters) {
            let x = Double(level)
            let (_, variance) = T.meanAndVariance(q.map { $0 / 4 - x })
            let n = Double(q.count)
            #expect(abs(variance - x / 4) < 5 * ((x * 4 + 2 * x * x * 16) / n).squareRoot() / 16)
        }
    }

    /// 256 levels ⇒ vals = 256 (not 512): every `noise + x` is a multiple of 1/256.
    @Test func allLevelsGiveVals256() throws {
        let input = Image(width: 16, height: 16, pixels: (0..<(256 * 3)).map { Float($0 % 256) / 255 })
        var image = input
        try PoissonNoise.apply(&image, scale: 1, gray: false, key: T.key, substream: 4)
        // Here x equals the input sample exactly (both are Float(m)/255), so noise + x is just the output.
        let steps = image.pixels.map { Double($0) * 256 }
        #expect(steps.allSatisfy { abs($0 - $0.rounded()) < 1e-2 })
        #expect(steps.contains { Int($0.rounded()) % 2 != 0 })
        #expect(PoissonNoise.distinctCount(input.pixels.map { try! PoissonNoise.code($0) }) == 256)
    }

    /// Codes are clipped to 0…255 like both references: a negative sample has λ = 0 (so no noise) and a sample above 1
    /// counts as x = 1; the three codes {0, 128, 255} give vals = 4.
    @Test func outOfRangeSamplesAreClippedToCodes0And255() throws {
        let values: [Float] = [-0.2, 0.5, 1.3]
        let input = Image(width: 30, height: 30, pixels: (0..<2700).map { values[$0 % 3] })
        var image = input
        try PoissonNoise.apply(&image, scale: 1, gray: false, key: T.key, substream: 5)
        var unchangedNegative = 0, quarterSteps = 0
        for (i, (o, v)) in zip(image.pixels, input.pixels).enumerated() {
            if i % 3 == 0 && o == v { unchangedNegative += 1 }
            let k = (Double(o) - Double(v) + 1) * 4  // above 1: noise = k/4 − 1
            if i % 3 == 2 && abs(k - k.rounded()) < 1e-3 && k > -1e-3 { quarterSteps += 1 }
        }
        #expect(unchangedNegative == 900 && quarterSteps == 900)
    }

    /// Gray: the noise is one plane added to all channels, and its λ comes from luma .299R + .587G + .114B — recovered
    /// exactly here because noise + x is an integer when vals = 1.
    @Test func grayNoiseUsesLumaAndIsSharedAcrossChannels() throws {
        let w = 32, h = 32, plane = w * h
        let input = Image(width: w, height: h, pixels: [Float](repeating: 1, count: plane)
                          + [Float](repeating: 0, count: plane) + [Float](repeating: 0.25, count: plane))
        var image = input
        try PoissonNoise.apply(&image, scale: 1, gray: true, key: T.key, substream: 6)
        let d = T.difference(image, input)
        let shared = (0..<plane).filter { abs(d[$0] - d[plane + $0]) < 1e-6 && abs(d[$0] - d[2 * plane + $0]) < 1e-6 }
        #expect(shared.count == plane)
        // luma = .299 + .114·.25 = .3275 ⇒ code round(83.51) = 84 (BGR order would give .114 + .299·.25 ⇒ code 48).
        let x = Double(Float(84) / 255)
        let integral = (0..<plane).filter { abs(d[$0] + x - (d[$0] + x).rounded()) < 1e-5 }
        #expect(integral.count == plane)
        #expect(d.prefix(plane).contains { $0 != d[0] })
    }

    @Test func sameKeyIsReproducibleAndSubstreamsDiffer() throws {
        let input = Image(width: 19, height: 7, pixels: (0..<399).map { Float($0 % 50) / 49 })
        var a = input, b = input, c = input
        try PoissonNoise.apply(&a, scale: 1, gray: false, key: T.key, substream: 7)
        try PoissonNoise.apply(&b, scale: 1, gray: false, key: T.key, substream: 7)
        try PoissonNoise.apply(&c, scale: 1, gray: false, key: T.key, substream: 8)
        #expect(a.pixels.map(\.bitPattern) == b.pixels.map(\.bitPattern))
        #expect(a.pixels != c.pixels)
    }

    @Test func valuesAreNotClipped() throws {
        var image = T.flat(0.9)
        try PoissonNoise.apply(&image, scale: 1, gray: false, key: T.key, substream: 9)
        #expect(image.pixels.contains { $0 > 1 })
        #expect(image.pixels.contains { $0 < 0 })  // x − Poisson(x) = −0.9 where the count is 0
    }

    @Test func invalidInputsThrow() {
        var image = T.flat(0.5, width: 4, height: 4)
        #expect(throws: OpError.self) { try PoissonNoise.apply(&image, scale: -1, gray: false, key: T.key, substream: 0) }
        #expect(throws: OpError.self) { try PoissonNoise.apply(&image, scale: .nan, gray: false, key: T.key, substream: 0) }
        var single = Image(width: 4, height: 4, channels: 1)
        #expect(throws: OpError.self) { try PoissonNoise.apply(&single, scale: 1, gray: true, key: T.key, substream: 0) }
        var withNaN = image
        withNaN.pixels[5] = .nan
        #expect(throws: OpError.self) { try PoissonNoise.apply(&withNaN, scale: 1, gray: false, key: T.key, substream: 0) }
    }
}
