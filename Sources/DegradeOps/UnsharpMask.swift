import DegradeMedia

/// Unsharp masking of the ground truth, as MMEditing `UnsharpMasking` and BasicSR `USMSharp` (identical maths).
///
/// With `G = g gᵀ`, `g = getGaussianKernel(kernelSize, sigma)`, border reflect-101, per channel:
/// ```
/// res   = I − G∗I
/// mask  = |res|·255 > threshold ? 1 : 0
/// soft  = G∗mask
/// sharp = clip(I + weight·res, 0, 1)
/// out   = soft·sharp + (1 − soft)·I
/// ```
/// The soft mask keeps flat regions (where no residual passes the threshold) untouched and fades the sharpening in
/// around edges. `G∗` runs as two 1-D passes (51 + 51 taps instead of 2601); the result equals the 2-D filter up to
/// Float rounding. For `I` in [0, 1] the output stays in [0, 1] (a convex blend of two images in [0, 1]).
public enum UnsharpMask {
    /// - Parameters:
    ///   - kernelSize: Gaussian taps; an even size is bumped to the next odd one, as BasicSR does with its radius.
    ///   - sigma: Gaussian σ; `0` applies OpenCV's rule (8.0 for 51 taps).
    ///   - weight: residual gain.
    ///   - threshold: residual level, in 8-bit code values, above which a pixel counts as an edge.
    /// - Precondition: `kernelSize >= 1`.
    public static func apply(
        _ image: Image, radius kernelSize: Int = 51, sigma: Double = 0, weight: Float = 0.5, threshold: Float = 10
    ) -> Image {
        precondition(kernelSize >= 1, "USM kernel size must be ≥ 1, got \(kernelSize)")
        let taps = BlurKernel.gaussian1D(size: kernelSize | 1, sigma: sigma)
        let blurred = Convolution.applySeparable(rowTaps: taps, columnTaps: taps, to: image)

        // Residual and hard mask, then the blend; plain pointer loops (these run on every GT pixel). Every buffer is
        // written in full before it is read, so none is zero-filled first.
        let count = image.pixels.count
        var residual = [Float]()
        var maskPixels = [Float]()
        image.pixels.withUnsafeBufferPointer { src in
            blurred.pixels.withUnsafeBufferPointer { blur in
                residual = [Float](unsafeUninitializedCapacity: count) { res, resCount in
                    maskPixels = [Float](unsafeUninitializedCapacity: count) { m, maskCount in
                        for i in 0..<count {
                            let r = src[i] - blur[i]
                            res[i] = r
                            m[i] = abs(r) * 255 > threshold ? 1 : 0
                        }
                        maskCount = count
                    }
                    resCount = count
                }
            }
        }
        let mask = Image(width: image.width, height: image.height, channels: image.channels, pixels: maskPixels)
        let soft = Convolution.applySeparable(rowTaps: taps, columnTaps: taps, to: mask)

        let blended = [Float](unsafeUninitializedCapacity: count) { dst, initialised in
            image.pixels.withUnsafeBufferPointer { src in
                residual.withUnsafeBufferPointer { res in
                    soft.pixels.withUnsafeBufferPointer { sm in
                        for i in 0..<count {
                            let original = src[i]
                            let sharp = min(max(original + weight * res[i], 0), 1)
                            let s = sm[i]
                            dst[i] = s * sharp + (1 - s) * original
                        }
                    }
                }
            }
            initialised = count
        }
        let out = Image(width: image.width, height: image.height, channels: image.channels, pixels: blended)
        return out
    }
}
