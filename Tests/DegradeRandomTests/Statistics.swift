import Foundation

/// Small statistics helpers for the distribution tests.
enum Stats {
    static func meanAndVariance<S: Sequence>(_ xs: S) -> (mean: Double, variance: Double, count: Int)
    where S.Element: BinaryFloatingPoint {
        var n = 0
        var mean = 0.0
        var m2 = 0.0
        for x in xs {  // Welford: stable for large means such as Poisson(5000)
            n += 1
            let d = Double(x) - mean
            mean += d / Double(n)
            m2 += d * (Double(x) - mean)
        }
        return (mean, m2 / Double(n - 1), n)
    }

    /// Standard normal CDF.
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// √n · D for the one-sample Kolmogorov–Smirnov statistic D of `samples` against `cdf`.
    static func ksScaled(_ samples: [Double], cdf: (Double) -> Double) -> Double {
        let sorted = samples.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, f - Double(i) / n, Double(i + 1) / n - f)
        }
        return d * n.squareRoot()
    }

    /// Kolmogorov limit: P(√n·D > 2.23) ≈ 2·e^(−2·2.23²) ≈ 1e-4.
    static let ksCritical = 2.23

    /// Poisson pmf from logs (exact enough for λ in the thousands).
    static func poissonPMF(_ k: Int, _ lambda: Double) -> Double {
        exp(-lambda + Double(k) * log(lambda) - lgamma(Double(k) + 1))
    }

    /// Pearson χ² of integer samples against a pmf, with consecutive values pooled into bins of expected mass ≥ 1/40
    /// (so every expected count is ≥ n/40); the upper tail beyond the last full bin joins the last bin.
    static func chiSquare(_ samples: [Int], pmf: (Int) -> Double) -> (statistic: Double, degreesOfFreedom: Int) {
        let binMass = 1.0 / 40
        var upper: [Int] = []  // inclusive upper k of each bin
        var mass: [Double] = []
        var acc = 0.0
        var total = 0.0
        var k = 0
        while total < 1 - binMass {
            let p = pmf(k)
            acc += p
            total += p
            if acc >= binMass {
                upper.append(k)
                mass.append(acc)
                acc = 0
            }
            k += 1
        }
        mass[mass.count - 1] += acc + (1 - total)  // the unfinished bin and the rest of the tail
        upper[upper.count - 1] = Int.max
        var counts = [Int](repeating: 0, count: mass.count)
        for s in samples {
            var lo = 0, hi = upper.count - 1
            while lo < hi {  // first bin whose upper bound is ≥ s
                let mid = (lo + hi) / 2
                if upper[mid] >= s { hi = mid } else { lo = mid + 1 }
            }
            counts[lo] += 1
        }
        let n = Double(samples.count)
        var chi2 = 0.0
        for (c, p) in zip(counts, mass) {
            let e = n * p
            chi2 += (Double(c) - e) * (Double(c) - e) / e
        }
        return (chi2, mass.count - 1)
    }

    /// A χ²(df) critical value about 5 standard deviations above the mean (α well below 1e-4 for these df).
    static func chiSquareCritical(_ df: Int) -> Double { Double(df) + 5 * (2 * Double(df)).squareRoot() + 5 }
}
