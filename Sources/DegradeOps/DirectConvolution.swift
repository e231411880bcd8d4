import DegradeMedia

extension Convolution {
    /// Direct correlation, `out(x, y) = Σ_{i,j} K(i, j) · I(x + i − c, y + j − c)` with reflect-101 borders,
    /// each channel plane on its own. Cost ∝ non-zero-support taps × pixels; best for small kernels.
    ///
    /// The kernel is first trimmed to its non-zero support, each plane is copied once into a reflect-padded
    /// buffer, and every output row is one call of the SIMD row loop. Single-threaded.
    public static func applyDirect(_ kernel: BlurKernel, to image: Image) -> Image {
        let support = KernelSupport(kernel)
        let width = image.width, height = image.height, plane = image.planeSize
        let lanes = roundUpToLanes(width)
        let paddedWidth = width + support.cols - 1, paddedHeight = height + support.rows - 1
        let stride = lanes + support.cols - 1
        let padded = ScratchBuffer(count: paddedHeight * stride)
        let row = ScratchBuffer(count: lanes)
        let out = [Float](unsafeUninitializedCapacity: image.pixels.count) { dst, initialised in
            image.pixels.withUnsafeBufferPointer { src in
                support.weights.withUnsafeBufferPointer { k in
                    for c in 0..<image.channels {
                        fillReflectPadded(
                            padded.base, stride: stride, from: src.baseAddress! + c * plane,
                            width: width, height: height, left: support.left, top: support.top,
                            paddedWidth: paddedWidth, paddedHeight: paddedHeight)
                        // Rows a whole number of SIMD blocks wide are written in place; others through `row`, since
                        // the last block would run past the row.
                        let direct = lanes == width
                        for y in 0..<height {
                            let target = dst.baseAddress! + (c &* plane &+ y &* width)
                            correlateRows(
                                into: direct ? target : row.base, count: lanes, source: padded.base + y &* stride,
                                stride: stride, kernel: k.baseAddress!, rows: support.rows, cols: support.cols)
                            if !direct { target.initialize(from: row.base, count: width) }
                        }
                    }
                }
            }
            initialised = image.pixels.count
        }
        return Image(width: width, height: height, channels: image.channels, pixels: out)
    }
}
