import COpenBLAS

/// Geometry of a stride-1, zero-padded 'same' convolution over NCHW images with a square odd kernel.
struct ConvolutionShape {
    let images: Int
    let inChannels: Int
    let outChannels: Int
    let height: Int
    let width: Int
    let kernel: Int

    var padding: Int { kernel / 2 }
    var plane: Int { height * width }
    /// Rows of the patch matrix: `inChannels·kernel²`.
    var patch: Int { inChannels * kernel * kernel }

    /// The same geometry with the channel roles swapped (the input-gradient pass).
    var transposed: ConvolutionShape {
        ConvolutionShape(images: images, inChannels: outChannels, outChannels: inChannels,
                         height: height, width: width, kernel: kernel)
    }
}

/// Convolution as GEMM on the CPU: im2col of a tile of outputs, one `cblas_sgemm`, and a fused epilogue.
///
/// Forward: `Y = W · cols(X)` with `W` the `[Cout, Cin·k²]` weight matrix (PyTorch's layout read row-major) and
/// `cols(X)` the `[Cin·k², columns]` patch matrix of a tile — several small images, or a band of rows of a large
/// one, about `targetColumns` columns either way. The epilogue adds the bias, applies the activation and, for a
/// multi-image tile, scatters the `[Cout, B, H·W]` result into NCHW; for a single-image tile the GEMM writes the
/// output rows directly (row stride H·W) and the epilogue runs in place. A 1×1 kernel on one image needs no im2col.
///
/// Backward, with `D = g ⊙ act′` (from the output's sign):
/// - `∂bias[o] = Σ D[·, o, ·, ·]`,
/// - `∂W = Σ_groups D_group · cols(X_group)ᵀ` (the patch matrix is rebuilt rather than kept from the forward pass),
/// - `∂X` = the same 'same' convolution of `D` with the weights transposed to `[Cin, Cout, k, k]` and flipped in
///   both spatial axes: for stride 1 and padding k/2 the adjoint of a convolution is that convolution, and it is
///   a gather (im2col) rather than a scatter-add (col2im).
///
/// The forward pass of layers with ≤ 4 outputs from ≥ 8 inputs is a direct sum instead (`NarrowConvolution`).
///
/// GEMMs run on OpenBLAS's threads from the calling thread; the im2col and epilogue loops use the library's own
/// workers between GEMMs, never around them.
enum CPUConvolution {
    /// Columns per GEMM to aim for: small images are grouped, large ones split into bands of rows, so the patch
    /// matrix of one GEMM stays cache-friendly (≈ 8k columns × Cin·k² rows).
    static let targetColumns = 8192
    /// Cap on the patch-matrix workspace (floats).
    static let maxPatchFloats = 1 << 24

    /// A block of output positions computed by one GEMM: `images` whole images from `firstImage`, or (when
    /// `images == 1`) the rows `firstRow ..< firstRow + rows` of one image.
    struct Tile {
        let firstImage: Int
        let images: Int
        let firstRow: Int
        let rows: Int
    }

    /// The tiles covering all outputs of `s`, in a fixed order that depends only on the geometry.
    static func tiles(_ s: ConvolutionShape) -> [Tile] {
        let plane = max(s.plane, 1), width = max(s.width, 1)
        if plane >= targetColumns || s.images == 1 {
            let bandRows = max(1, min(s.height, targetColumns / width))
            var result: [Tile] = []
            for n in 0..<s.images {
                var y = 0
                while y < s.height {
                    result.append(Tile(firstImage: n, images: 1, firstRow: y, rows: min(bandRows, s.height - y)))
                    y += bandRows
                }
            }
            return result
        }
        let byColumns = (targetColumns + plane - 1) / plane
        let byMemory = max(1, maxPatchFloats / max(1, s.patch * plane))
        let group = max(1, min(s.images, byColumns, byMemory))
        return stride(from: 0, to: s.images, by: group).map {
            Tile(firstImage: $0, images: min(group, s.images - $0), firstRow: 0, rows: s.height)
        }
    }

    /// Largest tile's column count.
    private static func maxColumns(_ tiles: [Tile], _ s: ConvolutionShape) -> Int {
        tiles.map { $0.images * $0.rows * s.width }.max() ?? 0
    }

    /// `output = act(W ⊛ input + bias)`, `slope` nil for no activation.
    static func forward(_ s: ConvolutionShape, input: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, slope: Float?, output: UnsafeMutablePointer<Float>) {
        if s.images == 0 || s.plane == 0 || s.outChannels == 0 { return }
        if s.inChannels == 0 {
            for i in 0..<(s.images * s.outChannels) {
                let value = NegativeSlope(slope: slope ?? 1)(bias?[i % s.outChannels] ?? 0)
                (output + i * s.plane).update(repeating: value, count: s.plane)
            }
            return
        }
        if DirectConvolution.pays(s) {
            DirectConvolution.forward(s, input: input, weights: weights, bias: bias, slope: slope, output: output)
            return
        }
        if NarrowConvolution.applies(s) {
            NarrowConvolution.forward(s, input: input, weights: weights, bias: bias, slope: slope, output: output)
            return
        }
        gemmForward(s, input: input, weights: weights, bias: bias, slope: slope, output: output)
    }

    /// `forward` as im2col + GEMM + epilogue, whatever the shape (`s` non-empty with ≥ 1 input channel).
    static func gemmForward(_ s: ConvolutionShape, input: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                            bias: UnsafePointer<Float>?, slope: Float?, output: UnsafeMutablePointer<Float>) {
        let tiles = tiles(s)
        let columnsMax = maxColumns(tiles, s)
        let grouped = tiles.contains { $0.images > 1 }
        BufferPool.shared.withBuffer(s.kernel == 1 && !grouped ? 0 : s.patch * columnsMax) { patchBuffer in
            BufferPool.shared.withBuffer(grouped ? s.outChannels * columnsMax : 0) { stage in
                for tile in tiles {
                    let columns = tile.images * tile.rows * s.width
                    let (patches, ldb) = patchMatrix(input, tile, s, patchBuffer)
                    let destination = output + tile.firstImage * s.outChannels * s.plane
                    // One image: the GEMM writes the output rows in place (row stride = plane).
                    let (product, ldc) = tile.images == 1
                        ? (destination + tile.firstRow * s.width, s.plane) : (stage, columns)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                                Int32(s.outChannels), Int32(columns), Int32(s.patch),
                                1, weights, Int32(s.patch), patches, Int32(ldb), 0, product, Int32(ldc))
                    epilogue(product, stride: ldc, tile, s, bias: bias, slope: slope, into: destination)
                }
            }
        }
    }

    /// Gradients of `forward` given `gradOutput`; each requested result buffer is overwritten.
    /// `output` (the forward result) is read only when `slope` is set.
    static func backward(_ s: ConvolutionShape, input: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                         output: UnsafePointer<Float>?, slope: Float?, gradOutput: UnsafePointer<Float>,
                         gradInput: UnsafeMutablePointer<Float>?, gradWeights: UnsafeMutablePointer<Float>?,
                         gradBias: UnsafeMutablePointer<Float>?) {
        let outCount = s.images * s.outChannels * s.plane
        BufferPool.shared.withBuffer(slope == nil ? 0 : outCount) { maskedBuffer in
            var d = gradOutput
            if let slope, let output {
                CPUElementwise.map(outCount, gradOutput, output, maskedBuffer, MaskBySign(slope: slope))
                d = UnsafePointer(maskedBuffer)
            }
            if let gradBias { biasGradient(s, d, into: gradBias) }
            if let gradWeights { weightGradient(s, input: input, d: d, into: gradWeights) }
            if let gradInput { inputGradient(s, weights: weights, d: d, into: gradInput) }
        }
    }

    /// The `[Cin·k², columns]` patch matrix of `tile` and its row stride: the input itself for a 1×1 kernel on
    /// one image (channel rows, stride = plane), else im2col into `buffer`.
    private static func patchMatrix(_ input: UnsafePointer<Float>, _ tile: Tile, _ s: ConvolutionShape,
                                    _ buffer: UnsafeMutablePointer<Float>) -> (UnsafePointer<Float>, Int) {
        let source = input + tile.firstImage * s.inChannels * s.plane
        if s.kernel == 1 && tile.images == 1 { return (source + tile.firstRow * s.width, s.plane) }
        im2col(source, tile, s, into: buffer)
        return (UnsafePointer(buffer), tile.images * tile.rows * s.width)
    }

    // MARK: - Backward parts

    private static func biasGradient(_ s: ConvolutionShape, _ d: UnsafePointer<Float>,
                                     into gradBias: UnsafeMutablePointer<Float>) {
        ComputeContext.current.parallelFor(s.outChannels) { o in
            var total = 0.0
            for n in 0..<s.images {
                total += CPUElementwise.serialSum(d + (n * s.outChannels + o) * s.plane, s.plane)
            }
            gradBias[o] = Float(total)
        }
    }

    static func weightGradient(_ s: ConvolutionShape, input: UnsafePointer<Float>, d: UnsafePointer<Float>,
                               into gradWeights: UnsafeMutablePointer<Float>) {
        let weightCount = s.outChannels * s.patch
        if s.images == 0 || s.plane == 0 || weightCount == 0 {
            gradWeights.update(repeating: 0, count: weightCount)
            return
        }
        if s.inChannels > 0 && DirectWeightGradient.pays(s) {
            DirectWeightGradient.compute(s, input: input, d: d, into: gradWeights)
            return
        }
        gemmWeightGradient(s, input: input, d: d, into: gradWeights)
    }

    /// `∂W` as `Σ_tiles D_tile · cols(X_tile)ᵀ` (`s` non-empty).
    static func gemmWeightGradient(_ s: ConvolutionShape, input: UnsafePointer<Float>, d: UnsafePointer<Float>,
                                   into gradWeights: UnsafeMutablePointer<Float>) {
        let tiles = tiles(s)
        let columnsMax = maxColumns(tiles, s)
        let grouped = tiles.contains { $0.images > 1 }
        BufferPool.shared.withBuffer(s.kernel == 1 && !grouped ? 0 : s.patch * columnsMax) { patchBuffer in
            BufferPool.shared.withBuffer(grouped ? s.outChannels * columnsMax : 0) { stage in
                for (index, tile) in tiles.enumerated() {
                    let columns = tile.images * tile.rows * s.width
                    let (patches, ldb) = patchMatrix(input, tile, s, patchBuffer)
                    let dImages = d + tile.firstImage * s.outChannels * s.plane
                    let (dRows, lda): (UnsafePointer<Float>, Int)
                    if tile.images == 1 {
                        (dRows, lda) = (dImages + tile.firstRow * s.width, s.plane)
                    } else {
                        gatherChannelRows(dImages, images: tile.images, channels: s.outChannels, plane: s.plane,
                                          into: stage)
                        (dRows, lda) = (UnsafePointer(stage), columns)
                    }
                    // ∂W += D_tile · patchesᵀ, tiles summed in their fixed order.
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                                Int32(s.outChannels), Int32(s.patch), Int32(columns),
                                1, dRows, Int32(lda), patches, Int32(ldb),
                                index == 0 ? 0 : 1, gradWeights, Int32(s.patch))
                }
            }
        }
    }

    private static func inputGradient(_ s: ConvolutionShape, weights: UnsafePointer<Float>, d: UnsafePointer<Float>,
                                      into gradInput: UnsafeMutablePointer<Float>) {
        let t = s.transposed
        let k2 = s.kernel * s.kernel
        BufferPool.shared.withBuffer(s.outChannels * s.patch) { flipped in
            // flipped[ci][co][u] = W[co][ci][k²−1−u]: transpose the channel axes, rotate the kernel by 180°.
            for co in 0..<s.outChannels {
                for ci in 0..<s.inChannels {
                    let src = weights + (co * s.inChannels + ci) * k2
                    let dst = flipped + (ci * s.outChannels + co) * k2
                    for u in 0..<k2 { dst[u] = src[k2 - 1 - u] }
                }
            }
            forward(t, input: d, weights: flipped, bias: nil, slope: nil, output: gradInput)
        }
    }

    // MARK: - Building blocks

    /// Patch matrix of `tile` (image pointer `source` = its first image): row `(c, kh, kw)`, column
    /// `(b, y, x)` for `y` in the tile's rows holds `source[b, c, y + kh − p, x + kw − p]`, or 0 outside the image.
    static func im2col(_ source: UnsafePointer<Float>, _ tile: Tile, _ s: ConvolutionShape,
                       into patches: UnsafeMutablePointer<Float>) {
        let k = s.kernel, p = s.padding, h = s.height, w = s.width, plane = s.plane
        let segment = tile.rows * w, columns = tile.images * segment
        ComputeContext.current.parallelFor(s.patch) { row in
            let c = row / (k * k), kh = (row / k) % k, kw = row % k
            let dy = kh - p, dx = kw - p
            let x0 = max(0, -dx), x1 = min(w, w - dx)
            for b in 0..<tile.images {
                let src = source + (b * s.inChannels + c) * plane
                let dstSegment = patches + row * columns + b * segment
                for r in 0..<tile.rows {
                    let dst = dstSegment + r * w
                    let sy = tile.firstRow + r + dy
                    if sy < 0 || sy >= h || x0 >= x1 {
                        dst.update(repeating: 0, count: w)
                        continue
                    }
                    if x0 > 0 { dst.update(repeating: 0, count: x0) }
                    (dst + x0).update(from: src + sy * w + x0 + dx, count: x1 - x0)
                    if x1 < w { (dst + x1).update(repeating: 0, count: w - x1) }
                }
            }
        }
    }

    /// GEMM result of `tile` (channel rows `stride` apart, images one after another within a row) → NCHW output
    /// with `+ bias` and the activation; in place when the GEMM wrote into the output (one image per tile).
    private static func epilogue(_ product: UnsafeMutablePointer<Float>, stride: Int, _ tile: Tile,
                                 _ s: ConvolutionShape, bias: UnsafePointer<Float>?, slope: Float?,
                                 into output: UnsafeMutablePointer<Float>) {
        if tile.images == 1 && bias == nil && slope == nil { return }
        let segment = tile.rows * s.width, channels = s.outChannels, offset = tile.firstRow * s.width
        ComputeContext.current.parallelFor(tile.images * channels) { row in
            let b = row / channels, o = row % channels
            let src = product + o * stride + b * segment
            let dst = output + row * s.plane + offset
            let shift = bias?[o] ?? 0
            if let slope {
                let f = NegativeSlope(slope: slope)
                var i = 0
                while i < segment { dst[i] = f(src[i] + shift); i &+= 1 }
            } else {
                var i = 0
                while i < segment { dst[i] = src[i] + shift; i &+= 1 }
            }
        }
    }

    /// NCHW `[B, C, HW]` → `[C, B·HW]` rows, the layout the weight-gradient GEMM reads.
    private static func gatherChannelRows(_ source: UnsafePointer<Float>, images: Int, channels: Int, plane: Int,
                                          into rows: UnsafeMutablePointer<Float>) {
        ComputeContext.current.parallelFor(images * channels) { i in
            let b = i / channels, c = i % channels
            (rows + c * images * plane + b * plane).update(from: source + i * plane, count: plane)
        }
    }
}
