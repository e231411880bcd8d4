import Foundation

/// The natural-scene statistics NIQE is built on: mean-subtracted contrast-normalised (MSCN) coefficients and
/// asymmetric generalised Gaussian (AGGD) fits by moment matching, as in the NIQE/BRISQUE papers and their MATLAB code.
enum NaturalSceneStatistics {
    /// The 7×7 Gaussian window of the NIQE release (MATLAB `fspecial('gaussian', 7, 7/6)`) is the outer product of
    /// this 7-tap Gaussian with itself; both normalise to sum 1, so filtering separably is the same filter.
    static let window: [Double] = {
        let s2: Double = 2 * (7.0 / 6) * (7.0 / 6)
        let g: [Double] = (-3...3).map { (x: Int) -> Double in exp(-Double(x * x) / s2) }
        let total = g.reduce(0, +)
        return g.map { $0 / total }
    }()

    /// `(I − μ) / (σ + 1)` with μ, σ the local Gaussian-weighted mean and deviation (edges replicated, as scipy's
    /// `mode='nearest'`) and σ = `√|E[I²] − μ²|`. The reference filters float32 images: scipy sums in double but
    /// stores μ and E[I²] as float32, and the variance is then formed in float32, where E[I²] − μ² cancels badly in
    /// flat areas (JPEG blocks). That rounding moves NIQE by ~0.1 on blocky frames, so it is reproduced here.
    static func mscn(_ img: [Double], width w: Int, height h: Int) -> [Double] {
        let n = w * h
        let sq = img.map { v -> Double in let f = Float(v); return Double(f * f) }
        var out = [Double](repeating: 0, count: n)
        let rowsM = UnsafeMutablePointer<Double>.allocate(capacity: n), rowsM2 = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { rowsM.deallocate(); rowsM2.deallocate() }
        window.withUnsafeBufferPointer { g in
            img.withUnsafeBufferPointer { src in
                sq.withUnsafeBufferPointer { src2 in
                    for y in 0..<h {
                        let row = y * w
                        for x in 0..<w {
                            var m = 0.0, m2 = 0.0
                            for k in 0..<7 {
                                let xx = min(max(x + k - 3, 0), w - 1)
                                m += g[k] * src[row + xx]
                                m2 += g[k] * src2[row + xx]
                            }
                            rowsM[row + x] = m
                            rowsM2[row + x] = m2
                        }
                    }
                    out.withUnsafeMutableBufferPointer { o in
                        for y in 0..<h {
                            for x in 0..<w {
                                var m = 0.0, m2 = 0.0
                                for k in 0..<7 {
                                    let i = min(max(y + k - 3, 0), h - 1) * w + x
                                    m += g[k] * rowsM[i]
                                    m2 += g[k] * rowsM2[i]
                                }
                                let mf = Float(m), m2f = Float(m2)
                                let sigma = abs(m2f - mf * mf).squareRoot()
                                o[y * w + x] = Double((Float(src[y * w + x]) - mf) / (sigma + 1))
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The 18 features of one square block of MSCN coefficients (row-major, `side`×`side`): AGGD shape and mean
    /// scale of the coefficients, then shape, mean, left and right scale of the products with the neighbour
    /// shifted by (0,1), (1,0), (1,1), (1,−1) (row, column), wrapping around the block like `np.roll`.
    static func blockFeatures(_ block: [Double], side n: Int) -> [Double] {
        let own = aggd(block)
        var features = [own.alpha, (own.left + own.right) / 2]
        for (sy, sx) in [(0, 1), (1, 0), (1, 1), (1, -1)] {
            var product = [Double](repeating: 0, count: n * n)
            block.withUnsafeBufferPointer { b in
                product.withUnsafeMutableBufferPointer { p in
                    for y in 0..<n {
                        let ys = (y - sy + n) % n
                        for x in 0..<n {
                            let xs = (x - sx + n) % n
                            p[y * n + x] = b[y * n + x] * b[ys * n + xs]
                        }
                    }
                }
            }
            let fit = aggd(product)
            let mean = (fit.right - fit.left) * tgamma(2 / fit.alpha) / tgamma(1 / fit.alpha)
            features += [fit.alpha, mean, fit.left, fit.right]
        }
        return features
    }

    /// Shapes 0.2, 0.201, …, 10 (`np.arange(0.2, 10.001, 0.001)`) and their ρ(α) = Γ(2/α)² / (Γ(1/α)·Γ(3/α)).
    static let shapeTable: (alpha: [Double], rho: [Double]) = {
        let alpha = (0..<9801).map { 0.2 + Double($0) * 0.001 }
        let rho = alpha.map { a in tgamma(2 / a) * tgamma(2 / a) / (tgamma(1 / a) * tgamma(3 / a)) }
        return (alpha, rho)
    }()

    /// Moment-matching AGGD fit (Lasmar et al.): left/right deviations from the negative/positive samples, the
    /// generalised ratio corrected for asymmetry, and the table shape whose ρ is nearest (first on ties). Empty
    /// sides give NaN, as the reference does; the NaNs are dropped later by the NaN-aware mean and covariance.
    static func aggd(_ v: [Double]) -> (alpha: Double, left: Double, right: Double) {
        var l2 = 0.0, nl = 0, r2 = 0.0, nr = 0, abs1 = 0.0, sq = 0.0
        v.withUnsafeBufferPointer { p in
            for x in p {
                if x < 0 { l2 += x * x; nl += 1 } else if x > 0 { r2 += x * x; nr += 1 }
                abs1 += abs(x)
                sq += x * x
            }
        }
        let n = Double(v.count)
        let leftStd = (l2 / Double(nl)).squareRoot(), rightStd = (r2 / Double(nr)).squareRoot()
        let g = leftStd / rightStd
        let rhat = (abs1 / n) * (abs1 / n) / (sq / n)
        let target = rhat * (g * g * g + 1) * (g + 1) / ((g * g + 1) * (g * g + 1))
        var best = 0
        if !target.isNaN {
            shapeTable.rho.withUnsafeBufferPointer { rho in
                var bestError = Double.infinity
                for i in 0..<rho.count {
                    let e = (rho[i] - target) * (rho[i] - target)
                    if e < bestError { bestError = e; best = i }
                }
            }
        }
        let alpha = shapeTable.alpha[best]
        let k = (tgamma(1 / alpha) / tgamma(3 / alpha)).squareRoot()
        return (alpha, leftStd * k, rightStd * k)
    }
}
