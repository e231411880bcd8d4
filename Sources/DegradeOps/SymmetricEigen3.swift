/// Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi rotations: `A = Q·diag(λ)·Qᵀ`.
///
/// Small, dependency-free and accurate to a few ulps, which is all the colour-noise covariance needs.
struct SymmetricEigen3 {
    /// Eigenvalues, sorted descending.
    let values: [Double]
    /// Row-major 3×3; column `k` is the unit eigenvector of `values[k]`.
    let vectors: [Double]

    /// `a` is row-major and must be symmetric (only the upper triangle is read).
    init(_ a: [Double]) {
        precondition(a.count == 9)
        var m = [a[0], a[1], a[2], a[1], a[4], a[5], a[2], a[5], a[8]]
        var q = [1.0, 0, 0, 0, 1, 0, 0, 0, 1]
        for _ in 0..<64 {
            let off = m[1] * m[1] + m[2] * m[2] + m[5] * m[5]
            let diag = m[0] * m[0] + m[4] * m[4] + m[8] * m[8]
            if off <= 1e-30 * diag || off == 0 { break }
            for (p, r) in [(0, 1), (0, 2), (1, 2)] {
                let apr = m[3 * p + r]
                if apr == 0 { continue }
                // The rotation angle that zeroes m[p][r]: tan 2φ = 2·a_pr / (a_rr − a_pp), taking the smaller root.
                let theta = (m[3 * r + r] - m[3 * p + p]) / (2 * apr)
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot()
                let s = t * c
                for k in 0..<3 {  // m ← m·J
                    let mkp = m[3 * k + p], mkr = m[3 * k + r]
                    m[3 * k + p] = c * mkp - s * mkr
                    m[3 * k + r] = s * mkp + c * mkr
                }
                for k in 0..<3 {  // m ← Jᵀ·m
                    let mpk = m[3 * p + k], mrk = m[3 * r + k]
                    m[3 * p + k] = c * mpk - s * mrk
                    m[3 * r + k] = s * mpk + c * mrk
                }
                for k in 0..<3 {  // q ← q·J
                    let qkp = q[3 * k + p], qkr = q[3 * k + r]
                    q[3 * k + p] = c * qkp - s * qkr
                    q[3 * k + r] = s * qkp + c * qkr
                }
            }
        }
        let order = [0, 1, 2].sorted { m[4 * $0] > m[4 * $1] }
        values = order.map { m[4 * $0] }
        var v = [Double](repeating: 0, count: 9)
        for (dst, src) in order.enumerated() {
            for row in 0..<3 { v[3 * row + dst] = q[3 * row + src] }
        }
        vectors = v
    }
}
