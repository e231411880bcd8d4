import Foundation

/// The outcome of a two-sample test.
public struct TestResult: Codable, Sendable, Equatable {
    /// `ks` (Kolmogorov–Smirnov) or `chi2` (χ² homogeneity).
    public var test: String
    /// D for KS, χ² for chi2.
    public var statistic: Double
    /// Degrees of freedom (χ² only).
    var degreesOfFreedom: Int?
    /// Probability of a statistic at least this large if both samples come from one distribution.
    var pValue: Double
}

/// Two-sample tests of "same distribution", used to compare a rendered set with its recipe and two recipes
/// with each other.
enum StatisticalTests {
    /// Two-sample Kolmogorov–Smirnov: `D = sup_x |F_a(x) − F_b(x)|` over the empirical CDFs (ties handled by
    /// stepping past every copy of a value in both samples at once, so identical samples give D = 0).
    ///
    /// p-value from the asymptotic Kolmogorov distribution with Stephens' small-sample correction
    /// (Stephens 1970; as in Numerical Recipes): `λ = (√nₑ + 0.12 + 0.11/√nₑ)·D`, `nₑ = n·m/(n + m)`,
    /// `p = Q_KS(λ)`. For discrete data the test is conservative (p-values too large), never anti-conservative.
    /// Returns nil when either sample is empty.
    static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> TestResult? {
        let x = a.filter { !$0.isNaN }.sorted(), y = b.filter { !$0.isNaN }.sorted()
        guard !x.isEmpty, !y.isEmpty else { return nil }
        let n = Double(x.count), m = Double(y.count)
        var i = 0, j = 0
        var d = 0.0
        while i < x.count && j < y.count {
            let v = Swift.min(x[i], y[j])
            while i < x.count && x[i] == v { i += 1 }
            while j < y.count && y[j] == v { j += 1 }
            d = Swift.max(d, abs(Double(i) / n - Double(j) / m))
        }
        let ne = (n * m / (n + m)).squareRoot()
        let lambda = (ne + 0.12 + 0.11 / ne) * d
        return TestResult(test: "ks", statistic: d, degreesOfFreedom: nil, pValue: kolmogorovSurvival(lambda))
    }

    /// `Q_KS(λ) = P(K > λ)` for the Kolmogorov distribution:
    /// `2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²)` for λ ≥ 1.18, and the equivalent, faster-converging
    /// `1 − (√(2π)/λ) Σ_{k≥1} exp(−(2k−1)²π²/(8λ²))` below it.
    static func kolmogorovSurvival(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 1 }
        if lambda < 0.2 { return 1 }
        if lambda < 1.18 {
            var s = 0.0
            for k in 1...8 {
                let t = Double(2 * k - 1)
                s += exp(-t * t * Double.pi * Double.pi / (8 * lambda * lambda))
            }
            return Swift.min(1, Swift.max(0, 1 - (2 * Double.pi).squareRoot() / lambda * s))
        }
        var s = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            s += (k % 2 == 1 ? term : -term)
            if term < 1e-300 { break }
        }
        return Swift.min(1, Swift.max(0, 2 * s))
    }

    /// χ² test of homogeneity of two categorical samples (a 2×k contingency table, no continuity correction):
    /// `χ² = Σ (O − E)²/E` with `E = row total · column total / N`, `df = k − 1`, `p = Q(df/2, χ²/2)`.
    ///
    /// Cochran's rule keeps the χ² approximation honest: categories are pooled (the two rarest together,
    /// repeatedly) until every expected count is ≥ 1 and at most 20% of them are below 5. When even two
    /// categories fail the rule (small samples, rare categories), Fisher's exact test on the 2×2 table is used
    /// instead (`test` = `fisher`), so a category seen only in one sample is still detected. Returns nil when
    /// either sample is empty or only one category occurs (nothing to test).
    static func chiSquare(_ a: [String], _ b: [String]) -> TestResult? {
        var keys: [String] = []
        var ca: [String: Int] = [:], cb: [String: Int] = [:]
        for l in a { if ca[l] == nil && cb[l] == nil { keys.append(l) }; ca[l, default: 0] += 1 }
        for l in b { if ca[l] == nil && cb[l] == nil { keys.append(l) }; cb[l, default: 0] += 1 }
        return chiSquare(counts: keys.sorted().map { [ca[$0] ?? 0, cb[$0] ?? 0] })
    }

    /// The same test on counts: one `[countA, countB]` pair per category.
    static func chiSquare(counts columns: [[Int]]) -> TestResult? {
        var cols = columns.filter { $0[0] + $0[1] > 0 }
        let ra = cols.reduce(0) { $0 + $1[0] }, rb = cols.reduce(0) { $0 + $1[1] }
        guard ra > 0, rb > 0 else { return nil }
        let total = Double(ra + rb)
        func expected(_ c: [Int]) -> [Double] {
            let ct = Double(c[0] + c[1])
            return [Double(ra) * ct / total, Double(rb) * ct / total]
        }
        func cochranHolds() -> Bool {
            let e = cols.flatMap(expected)
            return e.min()! >= 1 && Double(e.filter { $0 < 5 }.count) <= 0.2 * Double(e.count)
        }
        while cols.count > 2 && !cochranHolds() {
            cols.sort { $0[0] + $0[1] < $1[0] + $1[1] }
            let merged = [cols[0][0] + cols[1][0], cols[0][1] + cols[1][1]]
            cols = [merged] + cols.dropFirst(2)
        }
        guard cols.count > 1 else { return nil }
        var chi2 = 0.0
        for c in cols {
            let e = expected(c)
            for r in 0..<2 where e[r] > 0 {
                let d = Double(c[r]) - e[r]
                chi2 += d * d / e[r]
            }
        }
        let df = cols.count - 1
        if !cochranHolds() {
            // The statistic is still Pearson's χ², for information; the p-value is exact.
            return TestResult(test: "fisher", statistic: chi2, degreesOfFreedom: df,
                              pValue: fisherExact(cols[0][0], cols[1][0], cols[0][1], cols[1][1]))
        }
        return TestResult(test: "chi2", statistic: chi2, degreesOfFreedom: df,
                          pValue: SpecialFunctions.regularizedGammaQ(Double(df) / 2, chi2 / 2))
    }

    /// Fisher's exact test, two-sided, on the 2×2 table `[[a, b], [c, d]]` (rows: samples, columns: categories):
    /// with the margins fixed, `a` is hypergeometric; p sums the probabilities of every table no more likely
    /// than the observed one (the usual two-sided definition, with a 1e-7 relative tolerance for ties).
    static func fisherExact(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        let r1 = a + b, c1 = a + c, n = a + b + c + d
        func logChoose(_ n: Int, _ k: Int) -> Double { lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) }
        func logP(_ x: Int) -> Double { logChoose(c1, x) + logChoose(n - c1, r1 - x) - logChoose(n, r1) }
        let lo = Swift.max(0, r1 + c1 - n), hi = Swift.min(r1, c1)
        let observed = logP(a)
        var p = 0.0
        for x in lo...hi {
            let l = logP(x)
            if l <= observed + 1e-7 { p += exp(l) }
        }
        return Swift.min(1, p)
    }
}
