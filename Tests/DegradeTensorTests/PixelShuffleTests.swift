import Testing
@testable import DegradeTensor

extension TensorTests {
    /// `pixelShuffle` against PyTorch's index rule on hand-built examples.
    @Suite struct PixelShuffleTests {
        @Test func handExampleMatchesPyTorchLayout() {
            // Input channel k holds 10k + 2h + w at (h, w); r = 2 interleaves channel i·2 + j at offset (i, j).
            let input = Tensor(shape: [1, 4, 2, 2], scalars: (0..<4).flatMap { k in [0, 1, 2, 3].map { Float(10 * k + $0) } })
            let out = input.pixelShuffle(2)
            #expect(out.shape == [1, 1, 4, 4])
            #expect(out.scalars == [0, 10, 1, 11,
                                    20, 30, 21, 31,
                                    2, 12, 3, 13,
                                    22, 32, 23, 33])
        }

        @Test func outputChannelsTakeConsecutiveGroupsOfR2Inputs() {
            // [1, 8, 1, 1] → [1, 2, 2, 2]: output channel c gathers input channels 4c ..< 4c + 4.
            let input = Tensor(shape: [2, 8, 1, 1], scalars: (0..<16).map(Float.init))
            let out = input.pixelShuffle(2)
            #expect(out.shape == [2, 2, 2, 2])
            #expect(out.scalars == (0..<16).map(Float.init))
        }

        @Test func unshuffleInvertsShuffle() {
            let x = Support.random([2, 8, 3, 5], seed: 1)
            #expect(x.pixelShuffle(2).pixelUnshuffle(2).scalars == x.scalars)
            let y = Support.random([1, 9, 2, 2], seed: 2)
            #expect(y.pixelShuffle(3).shape == [1, 1, 6, 6])
            #expect(y.pixelShuffle(3).pixelUnshuffle(3).scalars == y.scalars)
        }

        @Test func gradients() {
            #expect(Support.gradientError([Support.random([2, 8, 3, 2], seed: 3)]) { $0[0].pixelShuffle(2) } < 1e-3)
            #expect(Support.gradientError([Support.random([1, 2, 4, 6], seed: 4)]) { $0[0].pixelUnshuffle(2) } < 1e-3)
        }
    }
}
