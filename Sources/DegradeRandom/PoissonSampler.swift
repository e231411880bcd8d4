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

    /// Everything that depends on λ alone, so callers with few distinct λ (e.g. 256 grey levels) compute it once.
    /// Sampling from the same `Parameters` is bit-identical whether they were cached or built per call.
    struct Parameters {
        let lambda: Double
        /// Inversion: e^{−λ}.
        let expNegLambda: Double
        /// PTRS constants (Hörmann's b, a, v_r, ln λ, ln(1/α)).
        let b, a, vr, logLambda, logInvAlpha: Double

        init(_ lambda: Double) {
            self.lambda = lambda
            if lambda < PoissonSampler.inversionLimit {
                expNegLambda = exp(-lambda)
                (b, a, vr, logLambda, logInvAlpha) = (0, 0, 0, 0, 0)
            } else {
                expNegLambda = 0
                b = 0.931 + 2.53 * lambda.squareRoot()
                a = -0.059 + 0.02483 * b
                vr = 0.9277 - 3.6224 / (b - 2)
                logLambda = log(lambda)
                logInvAlpha = log(1.1239 + 1.1328 / (b - 3.4))
            }
        }
    }

    @inline(__always)
    static func sample<S: UniformSource>(_ lambda: Double, from source: inout S) -> Double {
        sample(Parameters(lambda), from: &source)
    }

    @inline(__always)
    static func sample<S: UniformSource>(_ p: Parameters, from source: inout S) -> Double {
        if p.lambda == 0 { return 0 }
        return p.lambda < inversionLimit ? inversion(p, &source) : ptrs(p, &source)
    }

    @inline(__always)
    static func inversion<S: UniformSource>(_ params: Parameters, _ source: inout S) -> Double {
        let lambda = params.lambda
        let u = source.nextUniform()
        var k = 0.0
        var p = params.expNegLambda
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

    static func ptrs<S: UniformSource>(_ p: Parameters, _ source: inout S) -> Double {
        let (lambda, a, b) = (p.lambda, p.a, p.b)
        while true {
            let u = source.nextUniform() - 0.5
            let v = source.nextUniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
            if us >= 0.07 && v <= p.vr && k >= 0 { return k }  // squeeze: accept without the density
            if !(k >= 0) || (us < 0.013 && v > us) { continue }
            if log(v) + p.logInvAlpha - log(a / (us * us) + b) <= -lambda + k * p.logLambda - logFactorial(k) {
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
