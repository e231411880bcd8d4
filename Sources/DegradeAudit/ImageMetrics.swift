import DegradeMedia
import Foundation

/// Full-reference and no-reference measures of one frame, all on 8-bit planes ([0, 255] scale).
public enum ImageMetrics {
    /// PSNR in dB: `10·log10(255² / MSE)`. Identical planes give +∞ (reports cap it at `psnrCap`).
    public static func psnr(_ a: LumaPlane, _ b: LumaPlane) -> Double {
        precondition(a.width == b.width && a.height == b.height, "PSNR needs planes of one size")
        var sum = 0.0
        for i in 0..<a.values.count {
            let d = a.values[i] - b.values[i]
            sum += d * d
        }
        let mse = sum / Double(a.values.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// The value reports use for an infinite PSNR (identical frames).
    public static let psnrCap = 100.0

    /// PSNR on BasicSR's Y channel of two images.
    public static func psnrY(_ a: Image, _ b: Image) -> Double { psnr(.luma(a), .luma(b)) }

    /// SSIM as BasicSR computes it (Wang et al. 2004): 11×11 Gaussian window, σ = 1.5, over the "valid" region
    /// (no border handling: the map is (H−10)×(W−10)), `C1 = (0.01·255)²`, `C2 = (0.03·255)²`;
    /// `SSIM = mean[(2μaμb + C1)(2σab + C2) / ((μa² + μb² + C1)(σa² + σb² + C2))]`.
    /// Returns nil for planes smaller than 11×11.
    public static func ssim(_ a: LumaPlane, _ b: LumaPlane) -> Double? {
        precondition(a.width == b.width && a.height == b.height, "SSIM needs planes of one size")
        guard a.width >= 11, a.height >= 11 else { return nil }
        let c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255)
        let n = a.values.count
        var aa = [Double](repeating: 0, count: n), bb = aa, ab = aa
        for i in 0..<n {
            aa[i] = a.values[i] * a.values[i]
            bb[i] = b.values[i] * b.values[i]
            ab[i] = a.values[i] * b.values[i]
        }
        let w = a.width, h = a.height
        let mua = validGaussian(a.values, w, h), mub = validGaussian(b.values, w, h)
        let saa = validGaussian(aa, w, h), sbb = validGaussian(bb, w, h), sab = validGaussian(ab, w, h)
        var sum = 0.0
        for i in 0..<mua.count {
            let ma = mua[i], mb = mub[i]
            let va = saa[i] - ma * ma, vb = sbb[i] - mb * mb, cov = sab[i] - ma * mb
            sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
        }
        return sum / Double(mua.count)
    }

    /// SSIM on BasicSR's Y channel of two images.
    public static func ssimY(_ a: Image, _ b: Image) -> Double? { ssim(.luma(a), .luma(b)) }

    /// The 11-tap Gaussian (σ = 1.5) normalised to sum 1, as `cv2.getGaussianKernel(11, 1.5)`.
    static let gaussian11: [Double] = {
        let g = (0..<11).map { i -> Double in
            let x = Double(i - 5)
            return exp(-x * x / (2 * 1.5 * 1.5))
        }
        let s = g.reduce(0, +)
        return g.map { $0 / s }
    }()

    /// Separable 11×11 Gaussian filtering, valid region only: output (h − 10) × (w − 10).
    static func validGaussian(_ v: [Double], _ w: Int, _ h: Int) -> [Double] {
        let g = gaussian11
        let ow = w - 10, oh = h - 10
        var rows = [Double](repeating: 0, count: ow * h)
        for y in 0..<h {
            let base = y * w
            for x in 0..<ow {
                var s = 0.0
                for k in 0..<11 { s += g[k] * v[base + x + k] }
                rows[y * ow + x] = s
            }
        }
        var out = [Double](repeating: 0, count: ow * oh)
        for y in 0..<oh {
            for x in 0..<ow {
                var s = 0.0
                for k in 0..<11 { s += g[k] * rows[(y + k) * ow + x] }
                out[y * ow + x] = s
            }
        }
        return out
    }

    /// Immerkær's fast noise estimate (J. Immerkær, "Fast Noise Variance Estimation", CVIU 64(2), 1996):
    /// `σ = √(π/2) · 1/(6(W−2)(H−2)) · Σ |I ∗ N|` over interior pixels, with the Laplacian-difference mask
    /// `N = [1 −2 1; −2 4 −2; 1 −2 1]`, which cancels linear image structure and keeps (most of) the noise.
    /// In the plane's units (8-bit levels). Returns nil for planes smaller than 3×3.
    static func noiseSigma(_ p: LumaPlane) -> Double? {
        let w = p.width, h = p.height
        guard w >= 3, h >= 3 else { return nil }
        var sum = 0.0
        p.values.withUnsafeBufferPointer { v in
            for y in 1..<(h - 1) {
                let r0 = (y - 1) * w, r1 = y * w, r2 = (y + 1) * w
                for x in 1..<(w - 1) {
                    let s = v[r0 + x - 1] - 2 * v[r0 + x] + v[r0 + x + 1]
                        - 2 * (v[r1 + x - 1] - 2 * v[r1 + x] + v[r1 + x + 1])
                        + v[r2 + x - 1] - 2 * v[r2 + x] + v[r2 + x + 1]
                    sum += abs(s)
                }
            }
        }
        return (Double.pi / 2).squareRoot() * sum / (6 * Double(w - 2) * Double(h - 2))
    }

    /// Noise σ of an image in 8-bit levels: Immerkær's estimate on each colour channel, averaged. Per channel
    /// (not on Y), so colour and gray noise of σ both read as σ.
    public static func noiseSigma(_ image: Image) -> Double? {
        let per = (0..<image.channels).compactMap { noiseSigma(LumaPlane.channel(image, $0)) }
        return per.isEmpty ? nil : per.reduce(0, +) / Double(per.count)
    }

    /// Sharpness: variance of the 4-neighbour Laplacian `[0 1 0; 1 −4 1; 0 1 0]` over interior pixels.
    /// Blur lowers it, noise and ringing raise it. Returns nil for planes smaller than 3×3.
    static func laplacianVariance(_ p: LumaPlane) -> Double? {
        let w = p.width, h = p.height
        guard w >= 3, h >= 3 else { return nil }
        var sum = 0.0, sum2 = 0.0
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) {
                let l = p[x, y - 1] + p[x - 1, y] + p[x + 1, y] + p[x, y + 1] - 4 * p[x, y]
                sum += l
                sum2 += l * l
            }
        }
        let n = Double((w - 2) * (h - 2))
        let mean = sum / n
        return Swift.max(0, sum2 / n - mean * mean)
    }

    /// JPEG blockiness: the mean absolute difference between horizontally and vertically adjacent pixels that
    /// straddle an 8-px block boundary (between columns/rows 8k−1 and 8k), divided by the mean absolute
    /// difference of adjacent pixels inside blocks. ≈ 1 without blocking, above 1 when the 8×8 DCT grid shows.
    /// Returns nil when the plane has no boundary (both sides < 9 px) or no texture inside blocks.
    public static func blockiness(_ p: LumaPlane) -> Double? {
        let w = p.width, h = p.height
        var boundary = 0.0, boundaryCount = 0, inside = 0.0, insideCount = 0
        if w >= 9 {
            for y in 0..<h {
                for x in 0..<(w - 1) {
                    let d = abs(p[x + 1, y] - p[x, y])
                    if (x + 1) % 8 == 0 { boundary += d; boundaryCount += 1 } else { inside += d; insideCount += 1 }
                }
            }
        }
        if h >= 9 {
            for y in 0..<(h - 1) {
                for x in 0..<w {
                    let d = abs(p[x, y + 1] - p[x, y])
                    if (y + 1) % 8 == 0 { boundary += d; boundaryCount += 1 } else { inside += d; insideCount += 1 }
                }
            }
        }
        guard boundaryCount > 0, insideCount > 0 else { return nil }
        let mi = inside / Double(insideCount)
        guard mi > 1e-9 else { return nil }
        return (boundary / Double(boundaryCount)) / mi
    }
}
