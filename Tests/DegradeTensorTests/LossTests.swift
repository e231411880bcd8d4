import Foundation
import Testing
@testable import DegradeTensor

extension TensorTests {
    /// The pixel losses' values against their formulas, and their gradients for both arguments.
    @Suite struct LossTests {
        let p: Tensor
        /// `p` minus offsets of magnitude ≥ 0.05, so no difference sits near the |·| kink.
        let t: Tensor

        init() {
            let prediction = Support.random([2, 3, 4, 4], seed: 1)
            p = prediction
            t = prediction - Support.awayFromZero([2, 3, 4, 4], seed: 2, margin: 0.05)
        }

        var differences: [Double] { zip(p.scalars, t.scalars).map { Double($0) - Double($1) } }

        @Test func l1IsMeanAbsoluteDifference() {
            let expected = differences.map(abs).reduce(0, +) / Double(p.count)
            #expect(abs(Double(Loss.l1(p, t).scalar) - expected) < 1e-6)
        }

        @Test func mseIsMeanSquaredDifference() {
            let expected = differences.map { $0 * $0 }.reduce(0, +) / Double(p.count)
            #expect(abs(Double(Loss.mse(p, t).scalar) - expected) < 1e-6)
        }

        @Test func charbonnierAddsEpsilonUnderTheRoot() {
            let eps = 1e-3
            let expected = differences.map { ($0 * $0 + eps).squareRoot() }.reduce(0, +) / Double(p.count)
            #expect(abs(Double(Loss.charbonnier(p, t, epsilon: Float(eps)).scalar) - expected) < 1e-6)
            // Equal inputs give sqrt(ε) per element (the default ε = 1e-12 gives 1e-6).
            #expect(abs(Loss.charbonnier(p, p).scalar - 1e-6) < 1e-9)
        }

        @Test func gradientsReachPredictionAndTarget() {
            #expect(differences.allSatisfy { abs($0) > 0.04 })
            #expect(Support.gradientError([p, t], step: 1e-3) { Loss.l1($0[0], $0[1]) } < 1e-3)
            #expect(Support.gradientError([p, t], step: 1e-3) { Loss.mse($0[0], $0[1]) } < 1e-3)
            #expect(Support.gradientError([p, t], step: 1e-3) { Loss.charbonnier($0[0], $0[1], epsilon: 1e-4) } < 1e-3)
        }

        @Test func l1GradientIsZeroWhereInputsAreEqual() {
            let x = Tensor(shape: [3], scalars: [1, 2, 3]).requiringGradient()
            let target = Tensor(shape: [3], scalars: [0, 2, 4])
            let third: Float = 1.0 / 3.0
            #expect(Loss.l1(x, target).backward()[x]!.scalars == [third, 0, -third])
        }
    }
}
