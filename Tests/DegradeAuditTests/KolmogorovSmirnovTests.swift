import DegradeRandom
import Foundation
import Testing
@testable import DegradeAudit

@Suite struct KolmogorovSmirnov {
    @Test func identicalSamplesHaveNoDistance() throws {
        let x = (0..<200).map { sin(Double($0)) }
        let r = try #require(StatisticalTests.kolmogorovSmirnov(x, x.reversed()))
        #expect(r.statistic == 0)
        #expect(r.pValue == 1)
    }

    @Test func disjointSamplesHaveDistanceOne() throws {
        let a = (0..<50).map { Double($0) / 50 }, b = (0..<50).map { 2 + Double($0) / 50 }
        let r = try #require(StatisticalTests.kolmogorovSmirnov(a, b))
        #expect(r.statistic == 1)
        #expect(r.pValue < 1e-12)
    }

    /// a = {1,2,3,4}, b = {3.5,5,6}: F_a − F_b peaks at 3 (or 3.5): 0.75 − 0 = 0.75. With nₑ = 12/7,
    /// λ = (√nₑ + 0.12 + 0.11/√nₑ)·0.75 = 1.134991 and Q_KS(λ) = 0.152026 (scipy.stats.kstwobign.sf).
    @Test func handCheckedStatisticAndPValue() throws {
        let r = try #require(StatisticalTests.kolmogorovSmirnov([1, 2, 3, 4], [3.5, 5, 6]))
        #expect(abs(r.statistic - 0.75) < 1e-12)
        #expect(abs(r.pValue - 0.152026) < 1e-5)
    }

    /// Ties step both CDFs at once: a = {1,1,2}, b = {1,2,2} ⇒ at 1: 2/3 vs 1/3, at 2: 1 vs 1 ⇒ D = 1/3.
    @Test func tiesAreSteppedTogether() throws {
        let r = try #require(StatisticalTests.kolmogorovSmirnov([1, 1, 2], [1, 2, 2]))
        #expect(abs(r.statistic - 1.0 / 3) < 1e-12)
    }

    /// Q_KS at the Kolmogorov distribution's tabulated critical values (and Q(0.5) = 0.963945).
    @Test(arguments: [(0.5, 0.963945), (1.2239, 0.10), (1.3581, 0.05), (1.6276, 0.01), (1.9495, 0.001)])
    func kolmogorovSurvivalMatchesTables(lambda: Double, p: Double) {
        #expect(abs(StatisticalTests.kolmogorovSurvival(lambda) - p) < 0.002 * max(p, 0.01) + 1e-5)
    }

    @Test func samplesOfOneDistributionAreNotRejected() throws {
        var r1 = RandomStream(seed: 3, clip: "ks", stream: "a"), r2 = RandomStream(seed: 3, clip: "ks", stream: "b")
        let a = (0..<400).map { _ in r1.normal() }, b = (0..<300).map { _ in r2.normal() }
        let r = try #require(StatisticalTests.kolmogorovSmirnov(a, b))
        #expect(r.pValue > 0.001)
        let shifted = try #require(StatisticalTests.kolmogorovSmirnov(a, b.map { $0 + 0.5 }))
        #expect(shifted.pValue < 1e-4, "a half-σ shift of 300–400 values is detected")
    }

    @Test func emptySampleCannotBeTested() {
        #expect(StatisticalTests.kolmogorovSmirnov([], [1, 2]) == nil)
    }
}
