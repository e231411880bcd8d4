import DegradeMedia
import Testing
@testable import DegradeOps

/// Properties every mode must keep: identity, constants, independent planes, degenerate sizes.
@Suite struct ResizeInvariantTests {
    typealias S = ResizeTestSupport

    @Test(arguments: Interpolation.allCases)
    func sameSizeIsIdentity(mode: Interpolation) throws {
        let img = S.noise(width: 7, height: 5)
        #expect(try Resize.apply(img, width: 7, height: 5, interpolation: mode) == img)
    }

    @Test(arguments: Interpolation.allCases)
    func oneAxisUnchangedKeepsThatAxis(mode: Interpolation) throws {
        // Only the height changes: each column is resampled on its own, so a vertically constant image keeps
        // its columns exactly.
        let row: [Float] = [0.1, 0.7, 0.3, 0.9, 0.5]
        let img = Image(width: 5, height: 3, channels: 1, pixels: row + row + row)
        let out = try Resize.apply(img, width: 5, height: 8, interpolation: mode)
        for y in 0..<8 {
            for x in 0..<5 { #expect(abs(S.at(out, x, y) - row[x]) < 1e-6) }
        }
    }

    @Test(arguments: Interpolation.allCases)
    func constantStaysConstant(mode: Interpolation) throws {
        let value: Float = 0.3725
        let img = Image(width: 12, height: 9, channels: 3, pixels: .init(repeating: value, count: 12 * 9 * 3))
        for (w, h) in [(4, 3), (5, 7), (1, 1), (25, 19), (12, 20), (30, 4)] {
            let out = try Resize.apply(img, width: w, height: h, interpolation: mode)
            // Fractional area weights need not sum to exactly 1 in Float (same in OpenCV, issue #24238),
            // so allow a few ulp.
            #expect(out.pixels.allSatisfy { abs($0 - value) < 1e-6 }, "\(mode) to \(w)×\(h)")
        }
    }

    @Test(arguments: Interpolation.allCases)
    func channelsAreResizedIndependently(mode: Interpolation) throws {
        let plane = S.noise(width: 9, height: 6, channels: 1, seed: 21).pixels
        let img = Image(width: 9, height: 6, channels: 3, pixels: plane + plane.map { $0 * 2 } + plane.map { 1 - $0 })
        let out = try Resize.apply(img, width: 4, height: 10, interpolation: mode)
        let single = try Resize.apply(Image(width: 9, height: 6, channels: 1, pixels: plane), width: 4, height: 10,
                                      interpolation: mode)
        let n = out.planeSize
        for i in 0..<n {
            #expect(out.pixels[i] == single.pixels[i])
            #expect(abs(out.pixels[n + i] - 2 * single.pixels[i]) < 1e-6)
            #expect(abs(out.pixels[2 * n + i] - (1 - single.pixels[i])) < 1e-6)
        }
    }

    @Test(arguments: Interpolation.allCases)
    func singlePixelSourceFillsTarget(mode: Interpolation) throws {
        let img = Image(width: 1, height: 1, channels: 3, pixels: [0.25, 0.5, 0.75])
        let out = try Resize.apply(img, width: 5, height: 3, interpolation: mode)
        // Replicated edge taps are still weighted (w·v + (1−w)·v), as in OpenCV, so allow an ulp.
        for c in 0..<3 {
            #expect(out.pixels[(c * 15)..<(c * 15 + 15)].allSatisfy { abs($0 - img.pixels[c]) < 1e-6 })
        }
    }

    @Test func singlePixelTargetSamplesTheCentre() throws {
        let img = S.noise(width: 4, height: 4, channels: 1, seed: 9)
        let p = { (x: Int, y: Int) in Double(S.at(img, x, y)) }
        // bilinear: centre 1.5 → mean of the middle 2×2; area: mean of all; nearest: pixel (0, 0).
        let bilinear = try Resize.apply(img, width: 1, height: 1, interpolation: .bilinear).pixels[0]
        #expect(abs(Double(bilinear) - (p(1, 1) + p(2, 1) + p(1, 2) + p(2, 2)) / 4) < 1e-6)
        let area = try Resize.apply(img, width: 1, height: 1, interpolation: .area).pixels[0]
        let mean = img.pixels.reduce(0.0) { $0 + Double($1) } / 16
        #expect(abs(Double(area) - mean) < 1e-6)
        #expect(try Resize.apply(img, width: 1, height: 1, interpolation: .nearest).pixels[0] == S.at(img, 0, 0))
        // bicubic: taps 0…3 at distances 1.5, 0.5, 0.5, 1.5 in both axes.
        let w = [S.keys(1.5), S.keys(0.5), S.keys(0.5), S.keys(1.5)]
        var cubic = 0.0
        for y in 0..<4 { for x in 0..<4 { cubic += w[y] * w[x] * p(x, y) } }
        let out = try Resize.apply(img, width: 1, height: 1, interpolation: .bicubic).pixels[0]
        #expect(abs(Double(out) - cubic) < 1e-6)
    }

    @Test(arguments: Interpolation.allCases)
    func oneRowAndOneColumnImages(mode: Interpolation) throws {
        // The replicated axis is constant up to the ulp-level weighting noted above.
        let row = S.noise(width: 7, height: 1, channels: 1, seed: 4)
        let tall = try Resize.apply(row, width: 3, height: 6, interpolation: mode)
        #expect(tall.width == 3 && tall.height == 6)
        for y in 1..<6 { for x in 0..<3 { #expect(abs(S.at(tall, x, y) - S.at(tall, x, 0)) < 1e-6) } }
        let column = S.noise(width: 1, height: 7, channels: 1, seed: 4)
        let wide = try Resize.apply(column, width: 6, height: 3, interpolation: mode)
        for y in 0..<3 { for x in 1..<6 { #expect(abs(S.at(wide, x, y) - S.at(wide, 0, y)) < 1e-6) } }
    }
}
