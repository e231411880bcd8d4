import CFFTW
import DegradeMedia

extension Convolution {
    /// Correlation through FFTW, same result as `applyDirect` up to Float FFT rounding (≤ 1e-5 for data in [0, 1]).
    ///
    /// Each plane is reflect-101-padded by the kernel's non-zero support (`(H + kh − 1) × (W + kw − 1)`) into a grid
    /// rounded up to sides FFTW handles fast (`fftFriendlySize`: 2,3,5,7-smooth multiples of 8), zeros
    /// elsewhere. Then `out = IFFT(FFT(grid) · conj(FFT(kernel at origin))) / N`: multiplying by the conjugate
    /// spectrum turns FFTW's circular convolution into correlation, and no valid output wraps around because the
    /// padding already holds every sample a tap reads. The kernel spectrum is computed once per call and shared by
    /// all channels. Plans come from `FFTPlanCache` (estimate-planned, deterministic, one FFTW thread), work arrays
    /// from `FFTWorkspacePool`.
    public static func applyFFT(_ kernel: BlurKernel, to image: Image) -> Image {
        let support = KernelSupport(kernel)
        let width = image.width, height = image.height, plane = image.planeSize
        let paddedWidth = width + support.cols - 1, paddedHeight = height + support.rows - 1
        let gridWidth = fftFriendlySize(paddedWidth), gridHeight = fftFriendlySize(paddedHeight)
        let plans = FFTPlanCache.plans(height: gridHeight, width: gridWidth)
        let gridCount = gridWidth * gridHeight, bins = plans.spectrumCount
        let buffers = FFTWorkspacePool.take(height: gridHeight, width: gridWidth)
        defer { FFTWorkspacePool.give(buffers) }
        let grid = buffers.real, spectrum = buffers.spectrum, kernelSpectrum = buffers.kernelSpectrum

        // Kernel spectrum, conjugated and scaled by 1/N (FFTW's inverse is unnormalised).
        grid.update(repeating: 0, count: gridCount)
        for j in 0..<support.rows {
            for i in 0..<support.cols { grid[j * gridWidth + i] = support.weights[j * support.cols + i] }
        }
        fftwf_execute_dft_r2c(plans.forward, grid, buffers.kernelSpectrumComplex)
        let scale = 1 / Float(gridCount)
        for b in 0..<bins {
            kernelSpectrum[2 &* b] *= scale
            kernelSpectrum[2 &* b &+ 1] *= -scale
        }

        let out = [Float](unsafeUninitializedCapacity: image.pixels.count) { dst, initialised in
            image.pixels.withUnsafeBufferPointer { src in
                for c in 0..<image.channels {
                    fillReflectPadded(
                        grid, stride: gridWidth, from: src.baseAddress! + c * plane,
                        width: width, height: height, left: support.left, top: support.top,
                        paddedWidth: paddedWidth, paddedHeight: paddedHeight)
                    (grid + paddedHeight * gridWidth).update(repeating: 0, count: (gridHeight - paddedHeight) * gridWidth)
                    fftwf_execute_dft_r2c(plans.forward, grid, buffers.spectrumComplex)
                    multiplyComplex(spectrum, by: kernelSpectrum, bins: bins)
                    fftwf_execute_dft_c2r(plans.inverse, buffers.spectrumComplex, grid)
                    for y in 0..<height {
                        (dst.baseAddress! + (c &* plane &+ y &* width)).initialize(from: grid + y &* gridWidth, count: width)
                    }
                }
            }
            initialised = image.pixels.count
        }
        return Image(width: width, height: height, channels: image.channels, pixels: out)
    }

    /// The grid side used for a padded side of `n`: the smallest multiple of 8 that is ≥ n and 2,3,5,7-smooth.
    ///
    /// FFTW's estimate planner is fast only on smooth sizes, and markedly faster when the size also has several
    /// factors of 2 (measured here, r2c + c2r on 2-D grids: 750×1323 11 ms, 740×1300 18 ms, 768×1344 3.5 ms;
    /// per-side cost per n·log n is ~0.14–0.19 for multiples of 8 against up to ~0.3 for 2·odd and worse for odd
    /// sizes). Rounding to a multiple of 8 costs at most a few percent more samples for frame-sized grids.
    static func fftFriendlySize(_ n: Int) -> Int {
        var m = max((n + 7) / 8, 1)
        while true {
            var r = m
            for p in [2, 3, 5, 7] { while r % p == 0 { r /= p } }
            if r == 1 { return 8 * m }
            m += 1
        }
    }

    /// `a[b] ← a[b] · k[b]` over interleaved (re, im) Float pairs.
    private static func multiplyComplex(_ a: UnsafeMutablePointer<Float>, by k: UnsafePointer<Float>, bins: Int) {
        for b in 0..<bins {
            let re = 2 &* b, im = re &+ 1
            let ar = a[re], ai = a[im], kr = k[re], ki = k[im]
            a[re] = ar * kr - ai * ki
            a[im] = ar * ki + ai * kr
        }
    }
}
