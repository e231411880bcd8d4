import DegradeMedia
import Testing
@testable import DegradeOps

/// The linear motion-blur kernel: a normalised, point-symmetric streak of the asked length and direction.
@Suite struct MotionBlurKernelShape {
    func tap(_ k: BlurKernel, x: Int, y: Int) -> Float { k.weights[(y + k.size / 2) * k.size + x + k.size / 2] }

    @Test func aHorizontalStreakLiesOnTheCentreRowAndSpansItsLength() throws {
        let k = try MotionBlurKernel.make(length: 7, angle: 0, size: MotionBlurKernel.size(forLength: 7))
        let c = k.size / 2
        #expect(abs(k.weights.reduce(0, +) - 1) < 1e-6)
        for y in -c...c where y != 0 {
            for x in -c...c { #expect(tap(k, x: x, y: y) == 0, "off-row tap (\(x), \(y))") }
        }
        // Seven whole pixels (−3…3) covered along the motion, at equal weight; nothing beyond the streak's ends.
        for x in -3...3 { #expect(abs(tap(k, x: x, y: 0) - 1 / 7) < 1e-6) }
        for x in 4...c { #expect(tap(k, x: x, y: 0) == 0 && tap(k, x: -x, y: 0) == 0) }
    }

    @Test func aFractionalLengthCoversTheEndPixelsPartly() throws {
        let k = try MotionBlurKernel.make(length: 4, angle: 0, size: 7)
        // Segment −2…2: pixels −1, 0, 1 whole, pixels ±2 half.
        #expect(abs(tap(k, x: 2, y: 0) / tap(k, x: 0, y: 0) - 0.5) < 1e-5)
        #expect(tap(k, x: 3, y: 0) == 0)
    }

    @Test func aQuarterTurnIsTheTransposeAndEveryKernelIsPointSymmetric() throws {
        for length in [2.5, 6.0, 11.3] {
            let size = MotionBlurKernel.size(forLength: length)
            let h = try MotionBlurKernel.make(length: length, angle: 0, size: size)
            let v = try MotionBlurKernel.make(length: length, angle: .pi / 2, size: size)
            let c = size / 2
            for y in -c...c {
                for x in -c...c {
                    #expect(abs(tap(h, x: x, y: y) - tap(v, x: y, y: x)) < 1e-6)
                }
            }
            let d = try MotionBlurKernel.make(length: length, angle: 0.7, size: size)
            #expect(abs(d.weights.reduce(0, +) - 1) < 1e-5)
            for y in -c...c {
                for x in -c...c { #expect(abs(tap(d, x: x, y: y) - tap(d, x: -x, y: -y)) < 1e-6) }
            }
            // 45° up-right on screen: rows grow downwards, so (1, −1) is on the streak and (1, 1) is not.
            let diagonal = try MotionBlurKernel.make(length: length, angle: .pi / 4, size: size)
            #expect(tap(diagonal, x: 1, y: -1) > 0.25 * tap(diagonal, x: 0, y: 0) && tap(diagonal, x: 1, y: 1) == 0)
        }
    }

    @Test func zeroLengthIsADeltaAndBadValuesThrow() throws {
        let k = try MotionBlurKernel.make(length: 0, angle: 1, size: 5)
        #expect(tap(k, x: 0, y: 0) == 1 && k.weights.reduce(0, +) == 1)
        #expect(throws: OpError.self) { try MotionBlurKernel.make(length: .nan, angle: 0, size: 5) }
        #expect(throws: OpError.self) { try MotionBlurKernel.make(length: 3, angle: .infinity, size: 5) }
        #expect(throws: OpError.self) { try MotionBlurKernel.make(length: -1, angle: 0, size: 5) }
        #expect(throws: OpError.self) { try MotionBlurKernel.make(length: 3, angle: 0, size: 4) }
    }

    @Test func theKernelSizeHoldsTheStreakAndStaysWithinTheLimit() throws {
        for length in stride(from: 0.0, through: 49, by: 0.7) {
            let size = MotionBlurKernel.size(forLength: length)
            #expect(size % 2 == 1 && size <= 51 && Double(size) >= length, "length \(length): size \(size)")
        }
    }

    @Test func horizontalMotionSmearsVerticalEdgesOnly() throws {
        // Left half dark, right half bright: a vertical edge. Its transpose has a horizontal edge.
        let w = 24, h = 24
        var vertical = Image(width: w, height: h, channels: 1)
        for y in 0..<h { for x in 0..<w { vertical.pixels[y * w + x] = x < w / 2 ? 0.1 : 0.9 } }
        var horizontal = Image(width: w, height: h, channels: 1)
        for y in 0..<h { for x in 0..<w { horizontal.pixels[y * w + x] = y < h / 2 ? 0.1 : 0.9 } }
        let k = try MotionBlurKernel.make(length: 9, angle: 0, size: MotionBlurKernel.size(forLength: 9))
        let smeared = Convolution.apply(k, to: vertical), kept = Convolution.apply(k, to: horizontal)
        // Across the vertical edge the step becomes a ramp; along the horizontal edge nothing changes.
        let row = (0..<w).map { smeared.pixels[10 * w + $0] }
        #expect(row[w / 2 - 1] > 0.3 && row[w / 2] < 0.7 && row[0] < 0.11 && row[w - 1] > 0.89)
        #expect(zip(kept.pixels, horizontal.pixels).allSatisfy { abs($0 - $1) < 1e-5 })
    }
}
