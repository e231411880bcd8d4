import Foundation

/// The incomplete gamma function behind χ² p-values.
enum SpecialFunctions {
    /// Upper regularized incomplete gamma `Q(a, x) = Γ(a, x)/Γ(a)`; the χ² survival function with k degrees of
    /// freedom is `Q(k/2, χ²/2)`. Series `P(a,x) = e^{−x} x^a / Γ(a) · Σ xⁿ / (a(a+1)…(a+n))` for x < a + 1,
    /// else the Legendre continued fraction evaluated with the modified Lentz method.
    static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        guard a > 0 else { return .nan }
        guard x > 0 else { return 1 }
        let logPrefix = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return Swift.min(1, Swift.max(0, 1 - sum * exp(logPrefix)))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return Swift.min(1, Swift.max(0, exp(logPrefix) * h))
    }
}
