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
        // Edge replication by padding 3 samples on every side, so the filter loops need no clamping.
        let pw = w + 6, ph = h + 6
        var padded = [Double](repeating: 0, count: pw * ph), paddedSq = padded
        img.withUnsafeBufferPointer { src in
            for y in 0..<ph {
                let sy = min(max(y - 3, 0), h - 1) * w
                for x in 0..<pw {
                    let f = Float(src[sy + min(max(x - 3, 0), w - 1)])
                    padded[y * pw + x] = Double(f)
                    paddedSq[y * pw + x] = Double(f * f)  // float32 square, as numpy's np.square on float32
                }
            }
        }
        var out = [Double](repeating: 0, count: w * h)
        var rowsM = [Double](repeating: 0, count: w * ph), rowsM2 = rowsM
        window.withUnsafeBufferPointer { g in
            let g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3]
            padded.withUnsafeBufferPointer { a in
                paddedSq.withUnsafeBufferPointer { b in
                    rowsM.withUnsafeMutableBufferPointer { rm in
                        rowsM2.withUnsafeMutableBufferPointer { rm2 in
                            for y in 0..<ph {
                                for x in 0..<w {
                                    let i = y * pw + x
                                    rm[y * w + x] = g0 * (a[i] + a[i + 6]) + g1 * (a[i + 1] + a[i + 5]) + g2 * (a[i + 2] + a[i + 4]) + g3 * a[i + 3]
                                    rm2[y * w + x] = g0 * (b[i] + b[i + 6]) + g1 * (b[i + 1] + b[i + 5]) + g2 * (b[i + 2] + b[i + 4]) + g3 * b[i + 3]
                                }
                            }
                        }
                    }
                }
            }
            rowsM.withUnsafeBufferPointer { rm in
                rowsM2.withUnsafeBufferPointer { rm2 in
                    img.withUnsafeBufferPointer { src in
                        out.withUnsafeMutableBufferPointer { o in
                            for y in 0..<h {
                                for x in 0..<w {
                                    let i = y * w + x
                                    let m = g0 * (rm[i] + rm[i + 6 * w]) + g1 * (rm[i + w] + rm[i + 5 * w])
                                        + g2 * (rm[i + 2 * w] + rm[i + 4 * w]) + g3 * rm[i + 3 * w]
                                    let m2 = g0 * (rm2[i] + rm2[i + 6 * w]) + g1 * (rm2[i + w] + rm2[i + 5 * w])
                                        + g2 * (rm2[i + 2 * w] + rm2[i + 4 * w]) + g3 * rm2[i + 3 * w]
                                    // The reference stores μ and E[I²] as float32 and forms the variance in float32.
                                    let mf = Float(m), m2f = Float(m2)
                                    let sigma = abs(m2f - mf * mf).squareRoot()
                                    o[i] = Double((Float(src[i]) - mf) / (sigma + 1))
                                }
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

    /// Index of the table shape whose ρ is nearest `target`, the first on a tie — the reference's argmin over the
    /// whole table. ρ rises strictly with α (checked by the tests), so the nearest entry is next to the insertion
    /// point and bisection finds it.
    static func nearestShape(_ target: Double) -> Int {
        let rho = shapeTable.rho
        var lo = 0, hi = rho.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rho[mid] < target { lo = mid + 1 } else { hi = mid }
        }
        if lo == 0 { return 0 }
        if lo == rho.count { return rho.count - 1 }
        return (rho[lo - 1] - target) * (rho[lo - 1] - target) <= (rho[lo] - target) * (rho[lo] - target) ? lo - 1 : lo
    }

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
        let best = target.isNaN ? 0 : nearestShape(target)  // numpy's argmin of an all-NaN array is 0
        let alpha = shapeTable.alpha[best]
        let k = (tgamma(1 / alpha) / tgamma(3 / alpha)).squareRoot()
        return (alpha, leftStd * k, rightStd * k)
    }
}
