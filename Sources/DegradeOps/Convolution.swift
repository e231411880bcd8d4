import DegradeMedia

/// 2-D correlation of an image with a `BlurKernel`, `cv2.filter2D` semantics:
/// `out(x, y) = Σ_{i,j} K(i, j) · I(x + i − c, y + j − c)`, `c = (size − 1)/2`, `K(i, j) = weights[j·size + i]`,
/// border reflect-101 (`gfedcb|abcdefgh|gfedcba`, repeated when the kernel is larger than the image), each channel
/// plane independently, single-threaded per call. The reference pipelines' kernels are point-symmetric, so this is
/// also their convolution.
public enum Convolution {
    /// Correlation by whichever of `applyDirect` / `applyFFT` the cost model expects to be faster.
    public static func apply(_ kernel: BlurKernel, to image: Image) -> Image {
        prefersFFT(KernelSupport(kernel), width: image.width, height: image.height)
            ? applyFFT(kernel, to: image) : applyDirect(kernel, to: image)
    }

    /// Placeholder cost model, replaced by measured figures.
    static func prefersFFT(_ support: KernelSupport, width: Int, height: Int) -> Bool {
        support.rows * support.cols > 121
    }
}
