import Testing
@testable import DegradeTensor

extension TensorTests {
    /// Values and finite-difference gradients of the elementwise ops, activations and reductions.
    @Suite struct ElementwiseGradientTests {
        let a = Support.awayFromZero([2, 3, 4], seed: 1)
        let b = Support.awayFromZero([2, 3, 4], seed: 2)

        @Test func arithmeticValues() {
            let (x, y) = (a.scalars, b.scalars)
            #expect((a + b).scalars == zip(x, y).map { $0 + $1 })
            #expect((a - b).scalars == zip(x, y).map { $0 - $1 })
            #expect((a * b).scalars == zip(x, y).map { $0 * $1 })
            #expect((a * 0.5).scalars == x.map { $0 * 0.5 })
            #expect((2 * a).scalars == x.map { $0 * 2 })
            #expect((a + 1.5).scalars == x.map { $0 + 1.5 })
            #expect((-a).scalars == x.map { -$0 })
        }

        @Test func arithmeticGradients() {
            #expect(Support.gradientError([a, b]) { $0[0] + $0[1] } < 1e-3)
            #expect(Support.gradientError([a, b]) { $0[0] - $0[1] } < 1e-3)
            #expect(Support.gradientError([a, b]) { $0[0] * $0[1] } < 1e-3)
            #expect(Support.gradientError([a]) { $0[0] * -0.7 } < 1e-3)
            #expect(Support.gradientError([a]) { $0[0] + 3 } < 1e-3)
        }

        @Test func activationValuesFollowTheirDefinitions() {
            let x = Tensor(shape: [5], scalars: [-2, -0.5, 0, 0.5, 3])
            #expect(x.relu().scalars == [0, 0, 0, 0.5, 3])
            #expect(x.leakyReLU().scalars == [-0.2, -0.05, 0, 0.5, 3].map { Float($0) })
            #expect(x.leakyReLU(slope: 0.2).scalars == [Float(-2) * 0.2, Float(-0.5) * 0.2, 0, 0.5, 3])
            #expect(x.activated(.identity).scalars == x.scalars)
        }

        @Test func activationGradients() {
            #expect(Support.gradientError([a], step: 1e-3) { $0[0].relu() } < 1e-3)
            #expect(Support.gradientError([a], step: 1e-3) { $0[0].leakyReLU(slope: 0.1) } < 1e-3)
            // PyTorch's convention at the kink: derivative of the negative side at exactly 0.
            let zero = Tensor(shape: [1], scalars: [0]).requiringGradient()
            #expect(zero.leakyReLU(slope: 0.1).sum().backward()[zero]!.scalars == [0.1])
            #expect(zero.relu().sum().backward()[zero]!.scalars == [0])
        }

        @Test func reductions() {
            let values = a.scalars.map(Double.init)
            #expect(abs(Double(a.sum().scalar) - values.reduce(0, +)) < 1e-6)
            #expect(abs(Double(a.mean().scalar) - values.reduce(0, +) / 24) < 1e-7)
            #expect(a.sum().shape == [])
            #expect(Support.gradientError([a]) { $0[0].sum() } < 1e-3)
            #expect(Support.gradientError([a]) { $0[0].mean() } < 1e-3)
        }

        @Test func largeSumsAreAccurateAcrossChunks() {
            // 100 000 elements spans several reduction chunks; Double accumulation keeps the exact total of
            // these dyadic values.
            let n = 100_000
            let x = Tensor(shape: [n], scalars: (0..<n).map { Float($0 % 7) * 0.25 })
            let exact = (0..<n).reduce(0.0) { $0 + Double($1 % 7) * 0.25 }
            #expect(Double(x.sum().scalar) == exact)
        }
    }
}
