import Foundation
import Testing
@testable import DegradeTensor

extension TensorTests {
    @Suite struct PoolingAndSoftplus {
        @Test func maxPoolTakesTheWindowMaximumAndDropsOddEdges() {
            // One plane 3×5: windows of 2×2 over the first 2 rows and 4 columns.
            let x = Tensor(shape: [1, 1, 3, 5], scalars: [1, 5, 2, 0, 9,
                                                          3, 4, 8, 7, 9,
                                                          9, 9, 9, 9, 9])
            let y = x.maxPool2d(2)
            #expect(y.shape == [1, 1, 1, 2])
            #expect(y.scalars == [5, 8])
        }

        @Test func maxPoolGradientMatchesFiniteDifferences() {
            let x = Support.random([2, 3, 6, 4], seed: 7)
            let error = Support.gradientError([x], step: 1e-3, samples: 48) { $0[0].maxPool2d(2) }
            #expect(error < 1e-2)
        }

        @Test func maxPoolRoutesGradientToTheWinnerOnly() {
            let x = Tensor(shape: [1, 1, 2, 2], scalars: [1, 4, 4, 2]).requiringGradient()
            let g = x.maxPool2d(2).sum().backward()[x]!
            #expect(g.scalars == [0, 1, 0, 0])  // first maximum on a tie
        }

        @Test func softplusIsStableAndCorrect() {
            let x = Tensor(shape: [5], scalars: [-200, -1, 0, 2, 200])
            let y = x.softplus().scalars
            let expected: [Double] = [0, log(1 + exp(-1)), log(2), log(1 + exp(2)), 200]
            for (a, b) in zip(y, expected) { #expect(abs(Double(a) - b) < 1e-5) }
        }

        @Test func softplusGradientMatchesFiniteDifferences() {
            let x = Support.random([3, 17], seed: 3, low: -6, high: 6)
            let error = Support.gradientError([x], step: 1e-2) { $0[0].softplus() }
            #expect(error < 1e-3)
        }
    }
}

extension TensorTests {
    @Suite struct ScalarDivision {
        @Test func dividesAndDifferentiatesBothOperands() {
            let x = Support.random([2, 5], seed: 11)
            let s = Tensor(shape: [], scalars: [1.7])
            #expect(x.divided(by: s).scalars == x.scalars.map { $0 / 1.7 })
            let error = Support.gradientError([x, s], step: 1e-3) { $0[0].divided(by: $0[1]) }
            #expect(error < 1e-2)
        }
    }
}
