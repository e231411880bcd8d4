import Foundation

/// The natural-scene statistics NIQE is built on: mean-subtracted contrast-normalised (MSCN) coefficients and
/// asymmetric generalised Gaussian (AGGD) fits by moment matching, as in the NIQE/BRISQUE papers and their MATLAB code.
enum NaturalSceneStatistics {
    /// The 7×7 Gaussian window of the NIQE release (MATLAB `fspecial('gaussian', 7, 7/6)`), normalised to sum 1.
    static let window: [Double] = {
        let s = 7.0 / 6.0
        var g = [Double](repeating: 0, count: 49)
        for y in -3...3 { for x in -3...3 { g[(y + 3) * 7 + x + 3] = exp(-Double(x * x + y * y) / (2 * s * s)) } }
        let total = g.reduce(0, +)
        return g.map { $0 / total }
    }()

    /// `(I − μ) / (σ + 1)` with μ, σ the local Gaussian-weighted mean and deviation (edges replicated, as
    /// scipy's `mode='nearest'`); σ is `√|E[I²] − μ²|` so rounding never takes a square root of a negative.
    static func mscn(_ img: [Double], width w: Int, height h: Int) -> [Double] {
        var out = [Double](repeating: 0, count: w * h)
        let g = window
        for y in 0..<h {
            for x in 0..<w {
                var m = 0.0, m2 = 0.0
                for dy in -3...3 {
                    let row = min(max(y + dy, 0), h - 1) * w
                    for dx in -3...3 {
                        let v = img[row + min(max(x + dx, 0), w - 1)]
                        let k = g[(dy + 3) * 7 + dx + 3]
                        m += k * v
                        m2 += k * v * v
                    }
                }
                let sigma = abs(m2 - m * m).squareRoot()
                out[y * w + x] = (img[y * w + x] - m) / (sigma + 1)
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
            for y in 0..<n {
                let ys = ((y - sy) % n + n) % n
                for x in 0..<n {
                    let xs = ((x - sx) % n + n) % n
                    product[y * n + x] = block[y * n + x] * block[ys * n + xs]
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
        for x in v {
            if x < 0 { l2 += x * x; nl += 1 } else if x > 0 { r2 += x * x; nr += 1 }
            abs1 += abs(x)
            sq += x * x
        }
        let n = Double(v.count)
        let leftStd = (l2 / Double(nl)).squareRoot(), rightStd = (r2 / Double(nr)).squareRoot()
        let g = leftStd / rightStd
        let rhat = (abs1 / n) * (abs1 / n) / (sq / n)
        let target = rhat * (g * g * g + 1) * (g + 1) / ((g * g + 1) * (g * g + 1))
        var best = 0
        if !target.isNaN {
            let rho = shapeTable.rho
            var bestError = Double.infinity
            for i in 0..<rho.count {
                let e = (rho[i] - target) * (rho[i] - target)
                if e < bestError { bestError = e; best = i }
            }
        }
        let alpha = shapeTable.alpha[best]
        let k = (tgamma(1 / alpha) / tgamma(3 / alpha)).squareRoot()
        return (alpha, leftStd * k, rightStd * k)
    }
}
