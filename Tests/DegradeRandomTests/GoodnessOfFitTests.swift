import Foundation
import Testing
@testable import DegradeRandom

/// Whole-distribution checks: Kolmogorov–Smirnov against the exact normal CDF, Pearson χ² against the exact Poisson pmf.
@Suite struct GoodnessOfFitTests {
    static let key = RandomKey(seed: 77, clip: "fit", stream: "test")

    @Test func normalFieldKS() {
        let xs = FieldKind.normal.fill(count: 50_000, start: 0, key: Self.key, substream: 0).map(Double.init)
        let ks = Stats.ksScaled(xs, cdf: Stats.normalCDF)
        #expect(ks < Stats.ksCritical, "√n·D = \(ks)")
    }

    @Test func normalStreamKS() {
        var s = RandomStream(key: Self.key)
        let ks = Stats.ksScaled((0..<30_000).map { _ in s.normal() }, cdf: Stats.normalCDF)
        #expect(ks < Stats.ksCritical, "√n·D = \(ks)")
    }

    /// Box–Muller pairs share a radius, so check the joint law of each pair (z₀, z₁) as well as the pooled marginal:
    /// for independent N(0,1) pairs, z₀² + z₁² is exponential with mean 2 and the angle atan2(z₁, z₀) is uniform.
    @Test func normalFieldPairsAreJointlyGaussian() {
        let n = 40_000
        let z = FieldKind.normal.fill(count: 2 * n, start: 0, key: Self.key, substream: 3).map(Double.init)
        var squares: [Double] = []
        var angles: [Double] = []
        for i in 0..<n {
            let a = z[2 * i], b = z[2 * i + 1]
            squares.append(a * a + b * b)
            angles.append(atan2(b, a))
        }
        let ksRadius = Stats.ksScaled(squares) { x in 1 - exp(-max(x, 0) / 2) }
        #expect(ksRadius < Stats.ksCritical, "radius √n·D = \(ksRadius)")
        let ksAngle = Stats.ksScaled(angles) { x in (x + Double.pi) / (2 * Double.pi) }
        #expect(ksAngle < Stats.ksCritical, "angle √n·D = \(ksAngle)")
    }

    @Test func uniformFieldKS() {
        let xs = FieldKind.uniform.fill(count: 50_000, start: 0, key: Self.key, substream: 1).map(Double.init)
        let ks = Stats.ksScaled(xs) { min(max($0, 0), 1) }
        #expect(ks < Stats.ksCritical, "√n·D = \(ks)")
    }

    /// The normal field's tails: the frequency beyond ±3σ (exact 0.0027) within 5 standard errors.
    @Test func normalFieldTails() {
        let n = 200_000
        let xs = FieldKind.normal.fill(count: n, start: 0, key: Self.key, substream: 2)
        let p = 2 * Stats.normalCDF(-3)
        let observed = Double(xs.filter { abs($0) > 3 }.count) / Double(n)
        #expect(abs(observed - p) < 5 * (p * (1 - p) / Double(n)).squareRoot(), "P(|z|>3) = \(observed)")
    }

    @Test(arguments: [0.5, 3, 9.9, 10, 30, 200, 5000])
    func poissonFieldChiSquare(_ lambda: Double) {
        let xs = FieldKind.poissonFill([Float](repeating: Float(lambda), count: 30_000), start: 0,
                                       key: Self.key, substream: 100).map { Int($0) }
        let (chi2, df) = Stats.chiSquare(xs) { Stats.poissonPMF($0, lambda) }
        #expect(chi2 < Stats.chiSquareCritical(df), "χ² = \(chi2), df = \(df)")
    }

    @Test(arguments: [3, 10, 200])
    func poissonStreamChiSquare(_ lambda: Double) {
        var s = RandomStream(key: Self.key.derived("poisson"))
        let xs = (0..<20_000).map { _ in s.poisson(lambda) }
        let (chi2, df) = Stats.chiSquare(xs) { Stats.poissonPMF($0, lambda) }
        #expect(chi2 < Stats.chiSquareCritical(df), "χ² = \(chi2), df = \(df)")
    }
}
