import DegradeMedia
import Testing
@testable import DegradeOps

/// Each mode reproduces values derived by hand or by an independent double-precision evaluation of its formula.
@Suite struct ResizeFilterTests {
    typealias S = ResizeTestSupport

    @Test func areaHalvingGivesPairwiseMeans() throws {
        let img = Image(width: 4, height: 1, channels: 1, pixels: [0.1, 0.5, 0.9, 0.2])
        let out = try Resize.apply(img, width: 2, height: 1, interpolation: .area)
        #expect(out.pixels == [(Float(0.1) + 0.5) * 0.5, (Float(0.9) + 0.2) * 0.5])
    }

    @Test func bilinearDoublingInterpolatesAtQuarterOffsets() throws {
        let a: Float = 0.2, b: Float = 0.6
        let img = Image(width: 2, height: 1, channels: 1, pixels: [a, b])
        let out = try Resize.apply(img, width: 4, height: 1, interpolation: .bilinear)
        let expected: [Float] = [a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b]
        for (o, e) in zip(out.pixels, expected) { #expect(abs(o - e) < 1e-7) }
    }

    @Test(arguments: [(7, 5, 3, 4), (5, 9, 13, 6), (64, 48, 21, 13), (3, 3, 8, 8)])
    func bilinearMatchesHalfPixelTriangleFilter(sw: Int, sh: Int, dw: Int, dh: Int) throws {
        let img = S.noise(width: sw, height: sh, channels: 2)
        let out = try Resize.apply(img, width: dw, height: dh, interpolation: .bilinear)
        let ref = S.separable(img,
                              x: S.centredWeights(source: sw, destination: dw, taps: 0...1, kernel: S.triangle),
                              y: S.centredWeights(source: sh, destination: dh, taps: 0...1, kernel: S.triangle))
        // OpenCV rounds the sample coordinate to Float, which moves it by up to ~1e-6 px at these sizes.
        #expect(S.maxDifference(out.pixels, ref) < 1e-5)
    }

    @Test(arguments: [(4, 4, 8, 8), (4, 1, 8, 1), (9, 7, 4, 3), (16, 16, 5, 5), (6, 5, 13, 11)])
    func bicubicMatchesKeysKernel(sw: Int, sh: Int, dw: Int, dh: Int) throws {
        let img = S.noise(width: sw, height: sh, channels: 2, seed: 7)
        let out = try Resize.apply(img, width: dw, height: dh, interpolation: .bicubic)
        let ref = S.separable(img,
                              x: S.centredWeights(source: sw, destination: dw, taps: -1...2, kernel: S.keys),
                              y: S.centredWeights(source: sh, destination: dh, taps: -1...2, kernel: S.keys))
        #expect(S.maxDifference(out.pixels, ref) < 1e-5)
    }

    @Test func bicubicOvershootsAtAStep() throws {
        // Keys' negative lobes ring at an edge; no clamping is applied (the reference leaves overshoot in).
        let img = Image(width: 4, height: 1, channels: 1, pixels: [0, 0, 1, 1])
        let out = try Resize.apply(img, width: 8, height: 1, interpolation: .bicubic)
        #expect(out.pixels.min()! < 0)
        #expect(out.pixels.max()! > 1)
    }

    @Test func areaWithFractionalFactorUsesOverlapWeights() throws {
        // 5 → 3: cells [0, 5/3), [5/3, 10/3), [10/3, 5); e.g. cell 1 = (1/3·p1 + p2 + 1/3·p3) / (5/3).
        let row: [Float] = [0.9, 0.1, 0.4, 0.8, 0.3]
        let img1D = Image(width: 5, height: 1, channels: 1, pixels: row)
        let out1D = try Resize.apply(img1D, width: 3, height: 1, interpolation: .area)
        let p = row.map(Double.init)
        let expected = [(p[0] + 2.0 / 3 * p[1]) * 0.6, (p[1] / 3 + p[2] + p[3] / 3) * 0.6, (2.0 / 3 * p[3] + p[4]) * 0.6]
        #expect(S.maxDifference(out1D.pixels, expected) < 1e-6)

        let img = S.noise(width: 5, height: 7, channels: 2, seed: 3)
        let out = try Resize.apply(img, width: 3, height: 4, interpolation: .area)
        let ref = S.separable(img, x: S.overlapWeights(source: 5, destination: 3),
                              y: S.overlapWeights(source: 7, destination: 4))
        #expect(S.maxDifference(out.pixels, ref) < 1e-6)
    }

    @Test(arguments: [(8, 6, 4, 3), (12, 8, 3, 2), (6, 6, 2, 3), (9, 4, 3, 1)])
    func areaWithIntegerFactorIsBlockMean(sw: Int, sh: Int, dw: Int, dh: Int) throws {
        let img = S.noise(width: sw, height: sh, seed: 11)
        let out = try Resize.apply(img, width: dw, height: dh, interpolation: .area)
        let kx = sw / dw, ky = sh / dh
        for c in 0..<3 {
            for dy in 0..<dh {
                for dx in 0..<dw {
                    var sum = 0.0
                    for y in 0..<ky { for x in 0..<kx { sum += Double(S.at(img, dx * kx + x, dy * ky + y, c)) } }
                    #expect(abs(Double(S.at(out, dx, dy, c)) - sum / Double(kx * ky)) < 1e-6)
                }
            }
        }
    }

    @Test func bilinearExactHalvingIsTheTwoByTwoMean() throws {
        // OpenCV runs bilinear ×½ as area; at half-pixel centres both are the mean of each 2×2 block.
        let img = S.noise(width: 6, height: 4, channels: 1, seed: 5)
        let out = try Resize.apply(img, width: 3, height: 2, interpolation: .bilinear)
        for dy in 0..<2 {
            for dx in 0..<3 {
                let m = (S.at(img, 2 * dx, 2 * dy) + S.at(img, 2 * dx + 1, 2 * dy)
                    + S.at(img, 2 * dx, 2 * dy + 1) + S.at(img, 2 * dx + 1, 2 * dy + 1)) / 4
                #expect(abs(S.at(out, dx, dy) - m) < 1e-7)
            }
        }
    }

    @Test func areaUpscalingUsesOpenCVFallback() throws {
        // ×2 up: f = (dx+1) − (⌊dx/2⌋+1)·2 ≤ 0 for every dx, so pixels are replicated.
        let img = Image(width: 2, height: 1, channels: 1, pixels: [0.2, 0.6])
        #expect(try Resize.apply(img, width: 4, height: 1, interpolation: .area).pixels == [0.2, 0.2, 0.6, 0.6])
        // 2 → 3: dx = 1 has sx = 0, f = 2 − 1.5 = 0.5, so it is the mean; the others copy.
        let three = try Resize.apply(img, width: 3, height: 1, interpolation: .area).pixels
        #expect(three[0] == 0.2 && three[2] == 0.6 && abs(three[1] - 0.4) < 1e-7)
    }

    @Test func areaMixedShrinkAndGrowFollowsFallbackInBothAxes() throws {
        // 4×2 → 2×4: x shrinks ×2 (fallback f = 0.5: pair means), y grows ×2 (row replication).
        let px: [Float] = [0.1, 0.3, 0.5, 0.9,
                           0.2, 0.8, 0.4, 0.0]
        let out = try Resize.apply(Image(width: 4, height: 2, channels: 1, pixels: px), width: 2, height: 4,
                                   interpolation: .area)
        let r0: [Float] = [0.2, 0.7], r1: [Float] = [0.5, 0.2]
        let expected = r0 + r0 + r1 + r1
        for (o, e) in zip(out.pixels, expected) { #expect(abs(o - e) < 1e-7) }
    }

    @Test func nearestPicksFloorOfScaledIndex() throws {
        // 5 → 3: floor(dx·5/3) = 0, 1, 3.   3 → 7: floor(dx·3/7) = 0, 0, 0, 1, 1, 2, 2.
        let row = Image(width: 5, height: 1, channels: 1, pixels: [10, 11, 12, 13, 14])
        #expect(try Resize.apply(row, width: 3, height: 1, interpolation: .nearest).pixels == [10, 11, 13])
        let short = Image(width: 3, height: 1, channels: 1, pixels: [1, 2, 3])
        #expect(try Resize.apply(short, width: 7, height: 1, interpolation: .nearest).pixels == [1, 1, 1, 2, 2, 3, 3])
        let column = Image(width: 1, height: 5, channels: 1, pixels: [10, 11, 12, 13, 14])
        #expect(try Resize.apply(column, width: 2, height: 2, interpolation: .nearest).pixels == [10, 10, 12, 12])
    }

    /// Known answer from OpenCV's own test suite: `TEST(Imgproc_resize_area, regression)` in
    /// opencv/modules/imgproc/test/test_imgwarp.cpp resizes this 16×16 CV_16UC1 image with
    /// `cv::resize(src, dst, Size(), 0.3, 0.3, INTER_AREA)` and expects the 5×5 result below (within ±1).
    /// The 16-bit path accumulates in float exactly like the float path, so rounding our result must give it.
    @Test func areaMatchesOpenCVRegressionData() throws {
        let input: [Float] = [
            90, 94, 80, 3, 231, 2, 186, 245, 188, 165, 10, 19, 201, 169, 8, 228,
            86, 5, 203, 120, 136, 185, 24, 94, 81, 150, 163, 137, 88, 105, 132, 132,
            236, 48, 250, 218, 19, 52, 54, 221, 159, 112, 45, 11, 152, 153, 112, 134,
            78, 133, 136, 83, 65, 76, 82, 250, 9, 235, 148, 26, 236, 179, 200, 50,
            99, 51, 103, 142, 201, 65, 176, 33, 49, 226, 177, 109, 46, 21, 67, 130,
            54, 125, 107, 154, 145, 51, 199, 189, 161, 142, 231, 240, 139, 162, 240, 22,
            231, 86, 79, 106, 92, 47, 146, 156, 36, 207, 71, 33, 2, 244, 221, 71,
            44, 127, 71, 177, 75, 126, 68, 119, 200, 129, 191, 251, 6, 236, 247, 6,
            133, 175, 56, 239, 147, 221, 243, 154, 242, 82, 106, 99, 77, 158, 60, 229,
            2, 42, 24, 174, 27, 198, 14, 204, 246, 251, 141, 31, 114, 163, 29, 147,
            121, 53, 74, 31, 147, 189, 42, 98, 202, 17, 228, 123, 209, 40, 77, 49,
            112, 203, 30, 12, 205, 25, 19, 106, 145, 185, 163, 201, 237, 223, 247, 38,
            33, 105, 243, 117, 92, 179, 204, 248, 160, 90, 73, 126, 2, 41, 213, 204,
            6, 124, 195, 201, 230, 187, 210, 167, 48, 79, 123, 159, 145, 218, 105, 209,
            240, 152, 136, 235, 235, 164, 157, 9, 152, 38, 27, 209, 120, 77, 238, 196,
            240, 233, 10, 241, 90, 67, 12, 79, 0, 43, 58, 27, 83, 199, 190, 182,
        ]
        let expected: [Float] = [
            120, 100, 151, 101, 130,
            106, 115, 141, 130, 127,
            91, 136, 170, 114, 140,
            104, 122, 131, 147, 133,
            161, 163, 70, 107, 182,
        ]
        let img = Image(width: 16, height: 16, channels: 1, pixels: input)
        let out = try Resize.apply(img, inverseScaleX: 0.3, inverseScaleY: 0.3, interpolation: .area)
        #expect(out.width == 5 && out.height == 5)
        #expect(out.pixels.map { $0.rounded(.toNearestOrEven) } == expected)
    }
}
