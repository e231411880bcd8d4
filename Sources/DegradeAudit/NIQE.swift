import DegradeMedia
import Foundation

/// NIQE, the "completely blind" natural image quality evaluator (Mittal, Soundararajan & Bovik, IEEE SPL 2013):
/// the distance between a multivariate Gaussian fitted to an image's natural-scene statistics and the same fit on
/// pristine photographs (`NIQEPristineModel`). Lower is more natural; it needs no ground truth.
///
/// Conventions follow BasicSR's `calculate_niqe` (which reproduces the MATLAB release to 4 decimals), so numbers
/// compare with published VSR tables: the plane is BasicSR's Y channel of the 8-bit image (`LumaPlane.luma`),
/// `cropBorder` pixels go from each side, Y is rounded half-to-even, and the plane is cut to whole 96×96 blocks
/// (no overlap). Per scale (full, then half resolution by MATLAB's antialiased bicubic `imresize`): MSCN
/// coefficients with a 7×7 Gaussian (σ = 7/6, edge-replicated), then per block an AGGD fit of the coefficients and
/// of their products with the right, lower, lower-right and lower-left neighbours (cyclic within the block, as
/// `np.roll`). Every block is used: the MATLAB `computequality` has no sharpness-based patch selection (that
/// criterion only picked the pristine training patches), and neither does this.
public enum NIQE {
    public static let blockSize = 96

    /// NIQE of `image`, or nil when fewer than two whole 96×96 blocks remain after the crop (a covariance needs
    /// two samples) or when no block has finite features (e.g. a flat frame).
    public static func score(_ image: Image, cropBorder: Int = 0) -> Double? {
        let luma = LumaPlane.luma(image)
        guard cropBorder >= 0, luma.width > 2 * cropBorder, luma.height > 2 * cropBorder else { return nil }
        let w = luma.width - 2 * cropBorder, h = luma.height - 2 * cropBorder
        var values = [Double](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w { values[y * w + x] = luma[x + cropBorder, y + cropBorder].rounded(.toNearestOrEven) }
        }
        return score(y: LumaPlane(width: w, height: h, values: values))
    }

    /// NIQE of a prepared plane (Y in [0, 255], already cropped and rounded as `score(_:cropBorder:)` does).
    public static func score(y plane: LumaPlane) -> Double? {
        let bw = plane.width / blockSize, bh = plane.height / blockSize
        guard bw * bh >= 2 else { return nil }
        var w = bw * blockSize, h = bh * blockSize
        var img = [Double](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w { img[y * w + x] = plane[x, y] }
        }
        var features = [[Double]](repeating: [], count: bw * bh)
        for scale in [1, 2] {
            let mscn = NaturalSceneStatistics.mscn(img, width: w, height: h)
            let size = blockSize / scale
            for bx in 0..<bw {
                for by in 0..<bh {
                    var block = [Double](repeating: 0, count: size * size)
                    for y in 0..<size {
                        let row = (by * size + y) * w + bx * size
                        for x in 0..<size { block[y * size + x] = mscn[row + x] }
                    }
                    features[bx * bh + by] += NaturalSceneStatistics.blockFeatures(block, side: size)
                }
            }
            if scale == 1 {
                // The reference resizes in float32 (torch); its rounding feeds the float32 MSCN above.
                (img, w, h) = MatlabHalfResize.apply(img, width: w, height: h)
                img = img.map { Double(Float($0)) }
            }
        }
        return distance(features)
    }

    /// Eq. 10: √((ν₁ − ν₂)ᵀ ((Σ₁ + Σ₂)/2)⁺ (ν₁ − ν₂)) between the pristine model and the Gaussian fitted to the
    /// block features (NaN-ignoring mean; covariance over the blocks without NaN, as MATLAB's nancov).
    static func distance(_ features: [[Double]]) -> Double? {
        let d = NIQEPristineModel.mean.count
        var mean = [Double](repeating: 0, count: d)
        for j in 0..<d {
            let column = features.map { $0[j] }.filter { !$0.isNaN }
            guard !column.isEmpty else { return nil }
            mean[j] = column.reduce(0, +) / Double(column.count)
        }
        let complete = features.filter { row in !row.contains { $0.isNaN } }
        guard complete.count >= 2 else { return nil }
        var centre = [Double](repeating: 0, count: d)
        for row in complete { for j in 0..<d { centre[j] += row[j] } }
        for j in 0..<d { centre[j] /= Double(complete.count) }
        var pooled = [Double](repeating: 0, count: d * d)
        for row in complete {
            for i in 0..<d {
                let a = row[i] - centre[i]
                for j in 0..<d { pooled[i * d + j] += a * (row[j] - centre[j]) }
            }
        }
        let n1 = Double(complete.count - 1)
        for k in 0..<(d * d) { pooled[k] = (pooled[k] / n1 + NIQEPristineModel.covariance[k]) / 2 }
        let inverse = SymmetricPseudoInverse.of(pooled, size: d)
        let diff = (0..<d).map { NIQEPristineModel.mean[$0] - mean[$0] }
        var q = 0.0
        for i in 0..<d {
            var s = 0.0
            for j in 0..<d { s += inverse[i * d + j] * diff[j] }
            q += diff[i] * s
        }
        return q.isFinite && q >= 0 ? q.squareRoot() : nil
    }
}
