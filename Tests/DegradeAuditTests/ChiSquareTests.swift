import Foundation
import Testing
@testable import DegradeAudit

@Suite struct ChiSquare {
    /// Table [[10, 20], [30, 40]]: E = [[12, 18], [28, 42]], χ² = 4/12 + 4/18 + 4/28 + 4/42 = 0.793651, df 1,
    /// p = erfc(√(χ²/2)) = 0.372998.
    @Test func handExample() throws {
        let r = try #require(StatisticalTests.chiSquare(counts: [[10, 30], [20, 40]]))
        #expect(r.test == "chi2")
        #expect(abs(r.statistic - (4.0 / 12 + 4.0 / 18 + 4.0 / 28 + 4.0 / 42)) < 1e-12)
        #expect(r.degreesOfFreedom == 1)
        #expect(abs(r.pValue - erfc((r.statistic / 2).squareRoot())) < 1e-9)
        #expect(abs(r.pValue - 0.372998) < 1e-5)
    }

    @Test func labelsGiveTheSameTable() throws {
        let a = Array(repeating: "x", count: 10) + Array(repeating: "y", count: 20)
        let b = Array(repeating: "x", count: 30) + Array(repeating: "y", count: 40)
        let r = try #require(StatisticalTests.chiSquare(a, b))
        #expect(abs(r.statistic - 0.793651) < 1e-6)
    }

    /// χ² survival at the 5% critical values: 3.841459 (df 1), 5.991465 (df 2), 18.307038 (df 10).
    @Test(arguments: [(1, 3.841459), (2, 5.991465), (10, 18.307038)])
    func survivalAtCriticalValues(df: Int, x: Double) {
        #expect(abs(SpecialFunctions.regularizedGammaQ(Double(df) / 2, x / 2) - 0.05) < 1e-6)
    }

    /// Fisher's tea-tasting table [[3, 1], [1, 3]]: two-sided p = 34/70 = 0.485714.
    @Test func fisherTeaTasting() {
        #expect(abs(StatisticalTests.fisherExact(3, 1, 1, 3) - 34.0 / 70) < 1e-9)
    }

    /// A category seen only in a small sample fails Cochran's rule, so Fisher's exact test decides — and still
    /// detects it.
    @Test func sparseTableFallsBackToFisher() throws {
        let r = try #require(StatisticalTests.chiSquare(Array(repeating: "libx264", count: 2000), Array(repeating: "mpeg4", count: 12)))
        #expect(r.test == "fisher")
        #expect(r.pValue < 1e-20)
        let same = try #require(StatisticalTests.chiSquare(Array(repeating: "a", count: 1600) + Array(repeating: "b", count: 400),
                                                           Array(repeating: "a", count: 10) + Array(repeating: "b", count: 2)))
        #expect(same.pValue > 0.5)
    }

    @Test func singleCategoryIsNotTestable() {
        #expect(StatisticalTests.chiSquare(["a", "a"], ["a"]) == nil)
    }
}
