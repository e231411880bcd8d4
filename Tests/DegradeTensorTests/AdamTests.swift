import Foundation
import Testing
@testable import DegradeTensor

extension TensorTests {
    /// Adam's update against its formula evaluated here in Double, and its state round trip.
    @Suite struct AdamTests {
        /// Builds `Gradients` holding `values` for `p` (via the loss Σ values ⊙ p, whose gradient is `values`).
        static func gradients(_ p: Parameter, _ values: [Float]) -> Gradients {
            (p.value * Tensor(shape: p.shape, scalars: values)).sum().backward()
        }

        @Test func oneStepMatchesTheFormulaByHand() {
            let p = Parameter(Tensor(shape: [3], scalars: [0.5, -1, 2]), name: "w")
            let adam = Adam(parameters: [p], configuration: .init(learningRate: 0.01, beta1: 0.9, beta2: 0.99))
            adam.step(Self.gradients(p, [0.1, -0.2, 0]))
            // t = 1: m = 0.1g, v = 0.01g², m̂ = g, v̂ = g²; w −= lr·g/(|g| + ε) → ±0.01, untouched where g = 0.
            let expected = [0.5 - 0.01 * 0.1 / (0.1 + 1e-8), -1 + 0.01 * 0.2 / (0.2 + 1e-8), 2]
            #expect(Support.maxAbsDifference(p.value.scalars, expected) < 5e-7)
            #expect(adam.state.steps == [1])
            #expect(Support.maxAbsDifference(adam.state.firstMoments[0].scalars, [0.01, -0.02, 0]) < 1e-8)
            #expect(Support.maxAbsDifference(adam.state.secondMoments[0].scalars, [1e-4, 4e-4, 0]) < 1e-10)
        }

        @Test func severalStepsWithWeightDecayFollowPyTorchsUpdate() {
            let initial: [Double] = [0.3, -0.7]
            let p = Parameter(Tensor(shape: [2], scalars: initial.map(Float.init)))
            let config = Adam.Configuration(learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.1)
            let adam = Adam(parameters: [p], configuration: config)
            let grads: [[Double]] = [[0.2, -0.1], [-0.4, 0.3], [0.05, 0.5]]
            var (w, m, v) = (initial, [0.0, 0.0], [0.0, 0.0])
            for (t, g) in grads.enumerated() {
                adam.step(Self.gradients(p, g.map(Float.init)))
                let step = Double(t + 1)
                for i in 0..<2 {
                    let gi = g[i] + 0.1 * w[i]
                    m[i] = 0.8 * m[i] + 0.2 * gi
                    v[i] = 0.95 * v[i] + 0.05 * gi * gi
                    let denominator = v[i].squareRoot() / (1 - pow(0.95, step)).squareRoot() + 1e-6
                    w[i] -= 0.05 / (1 - pow(0.8, step)) * m[i] / denominator
                }
            }
            #expect(Support.maxAbsDifference(p.value.scalars, w) < 1e-6)
        }

        @Test func frozenOrGradientFreeParametersAreNotStepped() {
            let a = Parameter(Tensor(shape: [1], scalars: [1]))
            let b = Parameter(Tensor(shape: [1], scalars: [1]))
            let adam = Adam(parameters: [a, b])
            adam.step(Self.gradients(a, [1]))
            #expect(a.value.scalars != [1])
            #expect(b.value.scalars == [1])
            #expect(adam.state.steps == [1, 0])
            a.isTrainable = false
            let before = a.value.scalars
            var g = Gradients()
            g[a] = Tensor(shape: [1], scalars: [1])
            adam.step(g)
            #expect(a.value.scalars == before)
        }

        @Test func stateRoundTripsIntoAFreshOptimizer() throws {
            let p = Parameter(Support.random([4], seed: 1))
            let q = Parameter(Support.random([4], seed: 1))
            let first = Adam(parameters: [p]), second = Adam(parameters: [q])
            first.step(Self.gradients(p, [0.1, 0.2, -0.3, 0.4]))
            try second.load(first.state)
            let g: [Float] = [-0.2, 0.1, 0.3, 0.05]
            first.step(Self.gradients(p, g))
            second.step(Self.gradients(q, g))
            #expect(p.value.scalars != q.value.scalars) // q skipped the first step
            #expect(first.state.steps == second.state.steps)
            #expect(first.state.firstMoments[0].scalars == second.state.firstMoments[0].scalars)
            #expect(first.state.secondMoments[0].scalars == second.state.secondMoments[0].scalars)
        }

        @Test func loadingMismatchedStateThrows() {
            let adam = Adam(parameters: [Parameter(Tensor.zeros([3]))])
            let wrong = Adam.State(steps: [1], firstMoments: [Tensor.zeros([2])], secondMoments: [Tensor.zeros([2])])
            #expect(throws: TensorError.self) { try adam.load(wrong) }
            #expect(throws: TensorError.self) { try adam.load(Adam.State(steps: [], firstMoments: [], secondMoments: [])) }
        }
    }
}
