import Foundation

/// Moore–Penrose pseudo-inverse of a symmetric matrix by cyclic Jacobi rotations: A = V Λ Vᵀ, A⁺ = V Λ⁺ Vᵀ with
/// eigenvalues below `1e-15 · max|λ|` treated as zero (numpy's `pinv` cut-off). NIQE needs it because a few blocks
/// give a rank-deficient feature covariance.
enum SymmetricPseudoInverse {
    /// `a` is `size`×`size`, row-major and symmetric.
    static func of(_ a: [Double], size n: Int) -> [Double] {
        var m = a
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0, diag = 0.0
            for i in 0..<n {
                diag += m[i * n + i] * m[i * n + i]
                for j in (i + 1)..<max(i + 1, n) { off += m[i * n + j] * m[i * n + j] }
            }
            if off <= 1e-30 * diag || off == 0 { break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n {
                    let apq = m[p * n + q]
                    if apq == 0 { continue }
                    let theta = (m[q * n + q] - m[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {  // columns p, q
                        let mkp = m[k * n + p], mkq = m[k * n + q]
                        m[k * n + p] = c * mkp - s * mkq
                        m[k * n + q] = s * mkp + c * mkq
                    }
                    for k in 0..<n {  // rows p, q
                        let mpk = m[p * n + k], mqk = m[q * n + k]
                        m[p * n + k] = c * mpk - s * mqk
                        m[q * n + k] = s * mpk + c * mqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let lambda = (0..<n).map { m[$0 * n + $0] }
        let cutoff = 1e-15 * (lambda.map(abs).max() ?? 0)
        var out = [Double](repeating: 0, count: n * n)
        for e in 0..<n where abs(lambda[e]) > cutoff {
            let inv = 1 / lambda[e]
            for i in 0..<n {
                let vi = v[i * n + e] * inv
                for j in 0..<n { out[i * n + j] += vi * v[j * n + e] }
            }
        }
        return out
    }
}
