import DegradeMedia
import DegradeRandom

/// BSRGAN's 3-channel correlated Gaussian noise (KAIR `add_Gaussian_noise`, the 20 % branch):
/// `out = img + n`, `n ~ N(0, Σ)` per pixel, independent across pixels.
///
/// KAIR draws `n` with numpy's `multivariate_normal`, which factors Σ by SVD and does not require it to be positive
/// semidefinite (it only warns). Its samples have covariance `|Σ|_spec = Q·|Λ|·Qᵀ` (eigenvalues replaced by their
/// absolute values; equal to Σ when Σ is PSD). KAIR's `Σ = |L²·UᵀDU|` is an *elementwise* absolute value, which can
/// break PSD-ness, so we reproduce numpy exactly: `n = Q·diag(√|λ|)·z`, `z` three standard normals, from elements
/// `3i, 3i+1, 3i+2` of the normal field `(key, substream)` for pixel `i`.
///
/// No clipping here (KAIR clips to [0, 1] right after this op; that is a separate step).
public enum CorrelatedGaussianNoise {
    /// `covariance` is the row-major symmetric 3×3 Σ in image units² (e.g. from `kairCovariance`).
    public static func apply(_ image: inout Image, covariance: [Double], key: RandomKey, substream: UInt64) throws {
        guard image.channels == 3 else {
            throw OpError("CorrelatedGaussianNoise", "needs an RGB image (3 channels), got \(image.channels)")
        }
        let factor = try factorize(covariance).map(Float.init)
        let plane = image.planeSize
        let chunkPixels = min(plane, NoiseChunk.size / 3)
        var z = [Float](repeating: 0, count: 3 * chunkPixels)
        image.pixels.withUnsafeMutableBufferPointer { px in
            z.withUnsafeMutableBufferPointer { zb in
                var offset = 0
                while offset < plane {
                    let n = min(chunkPixels, plane - offset)
                    RandomField.fillNormal(UnsafeMutableBufferPointer(rebasing: zb[0..<(3 * n)]),
                                           key: key, substream: substream, start: 3 * offset)
                    for j in 0..<n {
                        let z0 = zb[3 &* j], z1 = zb[3 &* j &+ 1], z2 = zb[3 &* j &+ 2]
                        for c in 0..<3 {
                            let row = 3 &* c
                            let noise = factor[row] * z0 + factor[row &+ 1] * z1 + factor[row &+ 2] * z2
                            px[c &* plane &+ offset &+ j] += noise
                        }
                    }
                    offset += n
                }
            }
        }
    }

    /// KAIR's covariance `Σ = |L²·UᵀDU|` (elementwise absolute value), row-major.
    /// - Parameters:
    ///   - level: `L`, 25/255 in KAIR (`noise_level2/255`; the drawn noise level is not used in this branch).
    ///   - d: the diagonal of `D`, three `U(0,1)` draws in KAIR.
    ///   - u: row-major orthogonal 3×3 `U`, in KAIR `scipy.linalg.orth(rand(3,3))` (see `orth`).
    static func kairCovariance(level: Double, d: [Double], u: [Double]) throws -> [Double] {
        guard d.count == 3, u.count == 9, level.isFinite, (d + u).allSatisfy(\.isFinite) else {
            throw OpError("CorrelatedGaussianNoise",
                          "kairCovariance needs a finite level, 3 diagonal values and a 3×3 U, got \(d.count) and \(u.count)")
        }
        var sigma = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                var s = 0.0
                for k in 0..<3 { s += u[3 * k + i] * d[k] * u[3 * k + j] }  // (Uᵀ·D·U)ᵢⱼ
                sigma[3 * i + j] = abs(level * level * s)
            }
        }
        return sigma
    }

    /// `scipy.linalg.orth(A)` for a full-rank 3×3 `A` (row-major): its left singular vectors as columns, ordered by
    /// decreasing singular value. Column signs are not fixed, but `kairCovariance` does not depend on them (they
    /// cancel under the elementwise absolute value).
    public static func orth(_ a: [Double]) throws -> [Double] {
        guard a.count == 9, a.allSatisfy(\.isFinite) else {
            throw OpError("CorrelatedGaussianNoise", "orth needs 9 finite values (a row-major 3×3), got \(a.count)")
        }
        var aat = [Double](repeating: 0, count: 9)  // A·Aᵀ: its eigenvectors are A's left singular vectors
        for i in 0..<3 {
            for j in 0..<3 {
                aat[3 * i + j] = a[3 * i] * a[3 * j] + a[3 * i + 1] * a[3 * j + 1] + a[3 * i + 2] * a[3 * j + 2]
            }
        }
        return SymmetricEigen3(aat).vectors
    }

    /// Row-major `F = Q·diag(√|λ|)` with `F·Fᵀ = |Σ|_spec`.
    static func factorize(_ covariance: [Double]) throws -> [Double] {
        guard covariance.count == 9, covariance.allSatisfy(\.isFinite) else {
            throw OpError("CorrelatedGaussianNoise", "covariance must be 9 finite values (row-major 3×3), got \(covariance)")
        }
        let scale = covariance.map(abs).max()!
        for (i, j) in [(0, 1), (0, 2), (1, 2)] where abs(covariance[3 * i + j] - covariance[3 * j + i]) > 1e-9 * scale {
            throw OpError("CorrelatedGaussianNoise", "covariance must be symmetric, got \(covariance)")
        }
        let eigen = SymmetricEigen3(covariance)
        var f = [Double](repeating: 0, count: 9)
        for row in 0..<3 {
            for k in 0..<3 { f[3 * row + k] = eigen.vectors[3 * row + k] * abs(eigen.values[k]).squareRoot() }
        }
        return f
    }
}
