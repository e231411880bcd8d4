#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DegradeMedia

/// 2-D correlation of an image with a `BlurKernel`, `cv2.filter2D` semantics:
/// `out(x, y) = Σ_{i,j} K(i, j) · I(x + i − c, y + j − c)`, `c = (size − 1)/2`, `K(i, j) = weights[j·size + i]`,
/// border reflect-101 (`gfedcb|abcdefgh|gfedcba`, repeated when the kernel is larger than the image), each channel
/// plane independently, single-threaded per call. The reference pipelines' kernels are point-symmetric, so this is
/// also their convolution.
public enum Convolution {
    /// Correlation by whichever of `applyDirect` / `applyFFT` the cost model expects to be faster, or — for an
    /// isotropic Gaussian (`kernel.separableTaps`) — as two 1-D passes, `2k` taps per pixel instead of `k²`
    /// (results within ~1e-7 of the 2-D filter: the taps round differently). The choice depends only on the
    /// kernel and sizes, so a given input always takes the same path (and gives the same bits).
    public static func apply(_ kernel: BlurKernel, to image: Image) -> Image {
        if let taps = kernel.separableTaps {
            return applySeparable(rowTaps: taps, columnTaps: taps, to: image)
        }
        return prefersFFT(KernelSupport(kernel), width: image.width, height: image.height, channels: image.channels)
            ? applyFFT(kernel, to: image) : applyDirect(kernel, to: image)
    }

    /// Cost model, in units of one direct tap·pixel (≈ 0.019 ns with AVX-512 on the 2-core Zen 4 dev machine):
    /// - direct: `taps × W × H × C` over the kernel's non-zero support;
    /// - FFT: `6.5 × (2C + 1) × G·log₂G` for the `G`-sample grid (two transforms per channel plus the kernel's);
    ///   the factor folds in padding, the spectrum product and buffer set-up.
    ///
    /// Measured in release, 1 thread, CPU time, 3 channels, direct / FFT ms: 1280×720 15×15 12.2 / 15.1,
    /// 17×17 15.2 / 15.0, 21×21 22.7 / 13.8; 400×400 17×17 2.80 / 2.82, 19×19 3.45 / 2.81; 256×256 17×17
    /// 1.03 / 1.18, 21×21 1.55 / 1.17; 128×128 15×15 0.21 / 0.18, 21×21 0.39 / 0.22; 7×7 is direct everywhere
    /// (1280×720: 3.3 / 14.9). The crossover is ≈ 250–350 taps (15×15 – 19×19) depending on how well the grid
    /// size suits FFTW; the model puts it at 355 taps for 1280×720, 309 for 256×256, 347 for 128×128. Near the
    /// crossover both paths cost about the same, so a misprediction costs little.
    static func prefersFFT(_ support: KernelSupport, width: Int, height: Int, channels: Int) -> Bool {
        let taps = Double(support.rows * support.cols)
        let direct = taps * Double(width * height * channels)
        let grid = Double(fftFriendlySize(height + support.rows - 1) * fftFriendlySize(width + support.cols - 1))
        let fft = 6.5 * Double(2 * channels + 1) * grid * log2(grid)
        return fft < direct
    }
}
