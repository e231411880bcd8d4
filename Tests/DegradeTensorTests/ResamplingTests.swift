import Testing
@testable import DegradeTensor

extension TensorTests {
    /// Bilinear ×4 upsampling (PyTorch align_corners=False) and area ×¼ downsampling.
    @Suite struct ResamplingTests {
        /// 3×3 plane with distinct values.
        let grid: [Float] = [0.1, 0.7, 0.3,
                             0.9, 0.2, 0.6,
                             0.4, 0.8, 0.5]

        func at(_ t: Tensor, _ y: Int, _ x: Int) -> Float { t.scalars[y * t.shape[t.rank - 1] + x] }

        @Test func bilinearAtBorderAndInteriorPixels() {
            let out = Tensor(shape: [1, 1, 3, 3], scalars: grid).upsampleBilinear(scale: 4)
            #expect(out.shape == [1, 1, 12, 12])
            // (0, 0): source (−0.375 → clamped 0, same) = grid[0][0].
            #expect(at(out, 0, 0) == 0.1)
            // (0, 3): sx = 3.5/4 − 0.5 = 0.375 between columns 0 and 1; sy clamps to row 0.
            #expect(abs(at(out, 0, 3) - (0.625 * 0.1 + 0.375 * 0.7)) < 1e-6)
            // (11, 11): sx = sy = 11.5/4 − 0.5 = 2.375 ≥ last index, replicated: grid[2][2].
            #expect(at(out, 11, 11) == 0.5)
            // (5, 6): sy = 0.875 (rows 0, 1), sx = 1.125 (columns 1, 2).
            let top = 0.875 * 0.7 + 0.125 * 0.3, bottom = 0.875 * 0.2 + 0.125 * 0.6
            #expect(abs(Double(at(out, 5, 6)) - (0.125 * top + 0.875 * bottom)) < 1e-6)
            // (9, 2): sy = 1.875 (rows 1, 2), sx = 0.125 (columns 0, 1).
            let upper = 0.875 * 0.9 + 0.125 * 0.2, lower = 0.875 * 0.4 + 0.125 * 0.8
            #expect(abs(Double(at(out, 9, 2)) - (0.125 * upper + 0.875 * lower)) < 1e-6)
        }

        @Test func bilinearKeepsConstantsAndWorksOnEveryLeadingPlane() {
            let constant = Tensor(shape: [2, 3, 2, 5], repeating: 0.25).upsampleBilinear(scale: 4)
            #expect(constant.shape == [2, 3, 8, 20])
            #expect(constant.scalars.allSatisfy { $0 == 0.25 })
        }

        @Test func bilinearGradient() {
            #expect(Support.gradientError([Support.random([2, 1, 3, 2], seed: 1)]) { $0[0].upsampleBilinear(scale: 4) } < 1e-3)
            #expect(Support.gradientError([Support.random([1, 2, 2, 3], seed: 2)]) { $0[0].upsampleBilinear(scale: 2) } < 1e-3)
        }

        @Test func areaAveragesBlocks() {
            let x = Tensor(shape: [1, 1, 4, 8], scalars: (0..<32).map(Float.init))
            let out = x.downsampleArea(factor: 4)
            #expect(out.shape == [1, 1, 1, 2])
            // Block 0: rows 0–3, columns 0–3 → mean of 8r + c = 12 + 1.5; block 1 adds 4.
            #expect(out.scalars == [13.5, 17.5])
            #expect(Support.gradientError([Support.random([2, 2, 8, 4], seed: 3)]) { $0[0].downsampleArea(factor: 4) } < 1e-3)
        }

        @Test func areaUndoesNearestUpsampling() {
            // Replicating each pixel into a 4×4 block and averaging gives the pixel back.
            let small = Support.random([1, 2, 2, 3], seed: 4)
            let big = Tensor(shape: [1, 2, 8, 12], scalars: (0..<192).map { i in
                let (c, y, x) = (i / 96, (i / 12) % 8, i % 12)
                return small.scalars[(c * 2 + y / 4) * 3 + x / 4]
            })
            let back = big.downsampleArea(factor: 4).scalars
            #expect(zip(back, small.scalars).allSatisfy { abs($0 - $1) < 1e-6 })
        }
    }
}
