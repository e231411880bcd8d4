import Testing
@testable import DegradeTensor

extension TensorTests {
    /// Global gradient norm and PyTorch-style clipping.
    @Suite struct GradientNormTests {
        let a = Parameter(Tensor.zeros([2]), name: "a")
        let b = Parameter(Tensor.zeros([1]), name: "b")
        let c = Parameter(Tensor.zeros([1]), name: "c")

        /// Gradients (3, 4) for `a` and 12 for `b`: global norm 13; none for `c`.
        var gradients: Gradients {
            var g = Gradients()
            g[a] = Tensor(shape: [2], scalars: [3, 4])
            g[b] = Tensor(shape: [1], scalars: [12])
            return g
        }

        @Test func normIsTheL2NormOverAllParameters() {
            #expect(gradients.globalNorm(of: [a, b, c]) == 13)
            #expect(gradients.globalNorm(of: [a]) == 5)
        }

        @Test func clippingScalesDownToTheMaximum() {
            var g = gradients
            let norm = g.clipByGlobalNorm(6.5, parameters: [a, b, c])
            #expect(norm == 13)
            let scale = Float(6.5 / (13 + 1e-6))
            #expect(g[a]!.scalars == [3 * scale, 4 * scale])
            #expect(g[b]!.scalars == [12 * scale])
            #expect(abs(g.globalNorm(of: [a, b]) - 6.5) < 1e-5)
        }

        @Test func clippingLeavesSmallGradientsAlone() {
            var g = gradients
            #expect(g.clipByGlobalNorm(20, parameters: [a, b]) == 13)
            #expect(g[a]!.scalars == [3, 4])
            #expect(g[b]!.scalars == [12])
        }
    }
}
