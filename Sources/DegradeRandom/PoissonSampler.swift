import Foundation

/// Where a sampler takes its uniforms from: a sequential stream or one pixel's private counter sequence.
protocol UniformSource {
    /// Uniform on [0, 1) with 53 random bits.
    mutating func nextUniform() -> Double
}

/// Exact Poisson(λ) sampling.
///
/// - λ < 10: inversion by sequential search — one uniform `u`, return the least `k` with `u < P(X ≤ k)`, the pmf built
///   by `p₀ = e^{−λ}`, `p_k = p_{k−1}·λ/k`.
/// - λ ≥ 10: PTRS, the transformed rejection method with squeeze (W. Hörmann, "The transformed rejection method for
///   generating Poisson random variables", Insurance: Mathematics and Economics 12, 1993). Two uniforms per trial,
///   about 1.1 trials on average whatever λ, so it suits per-pixel use with λ in the hundreds or thousands.
enum PoissonSampler {
    static let inversionLimit = 10.0

    @inline(__always)
    static func sample<S: UniformSource>(_ lambda: Double, from source: inout S) -> Double {
        if lambda == 0 { return 0 }
        return lambda < inversionLimit ? inversion(lambda, &source) : ptrs(lambda, &source)
    }

    @inline(__always)
    static func inversion<S: UniformSource>(_ lambda: Double, _ source: inout S) -> Double {
        let u = source.nextUniform()
        var k = 0.0
        var p = exp(-lambda)
        var cdf = p
        while u >= cdf {
            k += 1
            p *= lambda / k
            let next = cdf + p
            // The summed pmf can stop short of 1 by rounding; once a term no longer changes it the remaining tail is
            // below double precision, so stop there instead of walking to underflow.
            if next == cdf { break }
            cdf = next
        }
        return k
    }

    static func ptrs<S: UniformSource>(_ lambda: Double, _ source: inout S) -> Double {
        let b = 0.931 + 2.53 * lambda.squareRoot()
        let a = -0.059 + 0.02483 * b
        let vr = 0.9277 - 3.6224 / (b - 2)
        // Only the ~14 % of trials that miss the squeeze need these logs, so they are computed on first use.
        var logLambda = Double.nan
        var logInvAlpha = Double.nan
        while true {
            let u = source.nextUniform() - 0.5
            let v = source.nextUniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr && k >= 0 { return k }  // squeeze: accept without the density
            if !(k >= 0) || (us < 0.013 && v > us) { continue }
            if logLambda.isNaN {
                logLambda = log(lambda)
                logInvAlpha = log(1.1239 + 1.1328 / (b - 3.4))
            }
            if log(v) + logInvAlpha - log(a / (us * us) + b) <= -lambda + k * logLambda - logFactorial(k) {
                return k
            }
        }
    }

    /// ln(k!) for integral k ≥ 0: a table below 16, above it Stirling's series for ln Γ(k+1) to the n⁻⁷ term
    /// (truncation error < 1/(1188·n⁹) < 2e-14 for n = k+1 ≥ 17).
    static func logFactorial(_ k: Double) -> Double {
        if k < 16 { return smallLogFactorials[Int(k)] }
        let n = k + 1
        let r = 1 / n
        let r2 = r * r
        let series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680))))
        return (n - 0.5) * log(n) - n + 0.918_938_533_204_672_7 + series  // ½·ln(2π)
    }

    static let smallLogFactorials: [Double] = {
        var table = [0.0]
        var f = 1.0
        for i in 1..<16 {
            f *= Double(i)  // exact: 15! < 2⁵³
            table.append(log(f))
        }
        return table
    }()
}
