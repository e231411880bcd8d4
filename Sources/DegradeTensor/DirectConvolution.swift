/// Forward convolution (and, with flipped weights, the input gradient) as register-blocked SIMD multiply-adds over a
/// zero-padded copy of the input: no im2col matrix and no GEMM packing, which cost as much as the products
/// themselves for this network's 32-channel layers.
///
/// Layout: each input plane is copied once into a `(H+2p) × Wp` buffer, `Wp = W + 2p`, and the outputs of a plane
/// are computed over the flattened index `q = y·Wp + x` for `q < H·Wp`: output `q` reads input `q + u·Wp + v` for
/// every tap `(u, v)`, so the inner loops have no border branches and a run of 24 outputs may cross rows (the
/// outputs at `x ≥ W`, 2p per row, are computed and dropped). The micro-kernel keeps 4 output channels × 3
/// `SIMD8<Float>` runs = 12 accumulators in registers and, per input channel and tap, loads 3 input vectors and
/// broadcasts 4 weights, which `packWeights` lays out contiguously as `[oc block][ci][tap][4]`.
///
/// Every output is `Σ_ci Σ_taps w·x` in that fixed order, then `+ bias` and the activation, whatever the thread
/// count or band split, so results are bitwise identical on any number of threads.
enum DirectConvolution {
    /// Output channels per micro-kernel.
    static let block = 4
    /// Outputs per micro-kernel run (3 vectors of 8).
    static let run = 24
    /// Bytes of one job's sums before the store (about a quarter of a 1 MiB L2).
    static let scratchBudget = 256 << 10

    /// Geometry of the padded layout.
    struct Layout {
        let shape: ConvolutionShape
        var paddedWidth: Int { shape.width + 2 * shape.padding }
        var paddedPlane: Int { (shape.height + 2 * shape.padding) * paddedWidth }
        /// Floats after the last plane that the last run may read (its dropped lanes).
        var slack: Int { DirectConvolution.run + shape.kernel }
        var paddedCount: Int { shape.images * shape.inChannels * paddedPlane + slack }
        var blocks: Int { (shape.outChannels + DirectConvolution.block - 1) / DirectConvolution.block }
        /// Rows per job: as many as keep the job's sums of all output channels within `scratchBudget`, split
        /// evenly.
        var bandRows: Int {
            let byScratch = DirectConvolution.scratchBudget / max(1, 4 * blocks * DirectConvolution.block * paddedWidth)
            let most = max(1, min(shape.height, byScratch))
            let bands = (shape.height + most - 1) / most
            return (shape.height + bands - 1) / bands
        }
        var bands: Int { (shape.height + bandRows - 1) / bandRows }
    }

    /// `output = act(W ⊛ input + bias)` with PyTorch's `[Cout, Cin, k, k]` weights.
    static func forward(_ s: ConvolutionShape, input: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, slope: Float?, output: UnsafeMutablePointer<Float>,
                        maxPaddedFloats: Int = maxPaddedFloats) {
        let packedCount = Layout(shape: s).blocks * block * s.inChannels * s.kernel * s.kernel
        BufferPool.shared.withBuffer(packedCount) { packed in
            packWeights(weights, s, into: packed)
            for (first, group) in imageGroups(s, maxPaddedFloats: maxPaddedFloats) {
                let layout = Layout(shape: group)
                BufferPool.shared.withBuffer(layout.paddedCount) { padded in
                    pad(input + first * s.inChannels * s.plane, layout, into: padded)
                    run(layout, padded: padded, packed: packed, bias: bias, slope: slope,
                        output: output + first * s.outChannels * s.plane)
                }
            }
        }
    }

    /// Padded floats per call at most (64 MiB), like the GEMM path's patch-matrix cap: a whole padded copy of
    /// `conv_hr`'s input at 256² (20 images) would add 340 MiB to the step's peak.
    static let maxPaddedFloats = 1 << 24

    /// Consecutive groups of images (first image, geometry of the group) whose padded copy fits `maxPaddedFloats`.
    static func imageGroups(_ s: ConvolutionShape, maxPaddedFloats: Int) -> [(Int, ConvolutionShape)] {
        let perImage = max(1, s.inChannels * Layout(shape: s).paddedPlane)
        let size = max(1, min(s.images, maxPaddedFloats / perImage))
        return stride(from: 0, to: s.images, by: size).map { first in
            (first, ConvolutionShape(images: min(size, s.images - first), inChannels: s.inChannels,
                                     outChannels: s.outChannels, height: s.height, width: s.width, kernel: s.kernel))
        }
    }

    /// Copies each `H × W` plane into the middle of a zeroed `(H+2p) × (W+2p)` plane, plus zeroed slack.
    static func pad(_ input: UnsafePointer<Float>, _ layout: Layout, into padded: UnsafeMutablePointer<Float>) {
        let s = layout.shape, p = s.padding, wp = layout.paddedWidth, planes = s.images * s.inChannels
        ComputeContext.current.parallelFor(planes) { plane in
            let src = input + plane * s.plane, dst = padded + plane * layout.paddedPlane
            if p == 0 {
                dst.update(from: src, count: s.plane)
                return
            }
            dst.update(repeating: 0, count: p * wp + p)
            for y in 0..<s.height {
                let row = dst + (y + p) * wp + p
                row.update(from: src + y * s.width, count: s.width)
                // Right pad of this row and left pad of the next are adjacent.
                (row + s.width).update(repeating: 0, count: 2 * p)
            }
            (dst + (s.height + p) * wp + p).update(repeating: 0, count: p * wp - p)
        }
        (padded + planes * layout.paddedPlane).update(repeating: 0, count: layout.slack)
    }

    /// `[Cout, Cin, k, k]` → `[Cout/4][Cin][k²][4]`, missing output channels of the last block zero.
    static func packWeights(_ weights: UnsafePointer<Float>, _ s: ConvolutionShape,
                            into packed: UnsafeMutablePointer<Float>) {
        let taps = s.kernel * s.kernel, blocks = (s.outChannels + block - 1) / block
        for b in 0..<blocks {
            for c in 0..<s.inChannels {
                for t in 0..<taps {
                    let dst = packed + ((b * s.inChannels + c) * taps + t) * block
                    for j in 0..<block {
                        let o = b * block + j
                        dst[j] = o < s.outChannels ? weights[(o * s.inChannels + c) * taps + t] : 0
                    }
                }
            }
        }
    }

    /// Jobs over (image, band of rows). Within a job each run of outputs goes through every output-channel block
    /// before the next run, so the run's input rows (all channels) stay in L1 while the packed weights stream by
    /// in order; sweeping the whole band per block instead missed L1 on every input row of the large planes.
    private static func run(_ layout: Layout, padded: UnsafePointer<Float>, packed: UnsafePointer<Float>,
                            bias: UnsafePointer<Float>?, slope: Float?, output: UnsafeMutablePointer<Float>) {
        let s = layout.shape, wp = layout.paddedWidth, bandRows = layout.bandRows, bands = layout.bands
        let taps = s.kernel * s.kernel, blockWeights = s.inChannels * taps * block
        ComputeContext.current.parallelFor(s.images * bands) { job in
            let n = job / bands, firstRow = (job % bands) * bandRows
            let rows = min(bandRows, s.height - firstRow)
            let span = rows * wp, lane = (span + run - 1) / run * run
            let source = padded + n * s.inChannels * layout.paddedPlane + firstRow * wp
            BufferPool.shared.withBuffer(layout.blocks * block * lane) { scratch in
                var q = 0
                while q < span {
                    for b in 0..<layout.blocks {
                        let weights = packed + b * blockWeights, out = scratch + b * block * lane + q
                        switch s.kernel {
                        case 1: microKernel(source + q, layout.paddedPlane, s.inChannels, 1, wp, weights, out, lane)
                        case 3: microKernel(source + q, layout.paddedPlane, s.inChannels, 3, wp, weights, out, lane)
                        case 7: microKernel(source + q, layout.paddedPlane, s.inChannels, 7, wp, weights, out, lane)
                        default:
                            microKernel(source + q, layout.paddedPlane, s.inChannels, s.kernel, wp, weights, out, lane)
                        }
                    }
                    q += run
                }
                for b in 0..<layout.blocks {
                    store(scratch + b * block * lane, lane: lane, block: b, rows: rows, firstRow: firstRow, image: n, s,
                          wp, bias: bias, slope: slope, output: output)
                }
            }
        }
    }

    /// 4 output channels × 24 flattened outputs from `x` (the first output's top-left tap), summed over channels
    /// then taps; results go to `out[j·lane + i]`.
    @inline(__always)
    private static func microKernel(_ x: UnsafePointer<Float>, _ planeStride: Int, _ channels: Int, _ k: Int,
                                    _ rowStride: Int, _ weights: UnsafePointer<Float>,
                                    _ out: UnsafeMutablePointer<Float>, _ lane: Int) {
        typealias V = SIMD8<Float>
        var a00 = V(), a01 = V(), a02 = V(), a10 = V(), a11 = V(), a12 = V()
        var a20 = V(), a21 = V(), a22 = V(), a30 = V(), a31 = V(), a32 = V()
        var w = weights
        for c in 0..<channels {
            let plane = UnsafeRawPointer(x + c * planeStride)
            for u in 0..<k {
                let row = plane + u * rowStride * 4
                for v in 0..<k {
                    let p = row + v * 4
                    let x0 = p.loadUnaligned(as: V.self)
                    let x1 = p.loadUnaligned(fromByteOffset: 32, as: V.self)
                    let x2 = p.loadUnaligned(fromByteOffset: 64, as: V.self)
                    let w0 = V(repeating: w[0]), w1 = V(repeating: w[1])
                    let w2 = V(repeating: w[2]), w3 = V(repeating: w[3])
                    a00.addProduct(w0, x0); a01.addProduct(w0, x1); a02.addProduct(w0, x2)
                    a10.addProduct(w1, x0); a11.addProduct(w1, x1); a12.addProduct(w1, x2)
                    a20.addProduct(w2, x0); a21.addProduct(w2, x1); a22.addProduct(w2, x2)
                    a30.addProduct(w3, x0); a31.addProduct(w3, x1); a32.addProduct(w3, x2)
                    w += 4
                }
            }
        }
        let o = UnsafeMutableRawPointer(out), l = lane * 4
        o.storeBytes(of: a00, as: V.self); o.storeBytes(of: a01, toByteOffset: 32, as: V.self)
        o.storeBytes(of: a02, toByteOffset: 64, as: V.self)
        o.storeBytes(of: a10, toByteOffset: l, as: V.self); o.storeBytes(of: a11, toByteOffset: l + 32, as: V.self)
        o.storeBytes(of: a12, toByteOffset: l + 64, as: V.self)
        o.storeBytes(of: a20, toByteOffset: 2 * l, as: V.self)
        o.storeBytes(of: a21, toByteOffset: 2 * l + 32, as: V.self)
        o.storeBytes(of: a22, toByteOffset: 2 * l + 64, as: V.self)
        o.storeBytes(of: a30, toByteOffset: 3 * l, as: V.self)
        o.storeBytes(of: a31, toByteOffset: 3 * l + 32, as: V.self)
        o.storeBytes(of: a32, toByteOffset: 3 * l + 64, as: V.self)
    }

    /// The band's sums of block `b` (flattened rows `Wp` apart) → NCHW rows with `+ bias` and the activation.
    private static func store(_ scratch: UnsafePointer<Float>, lane: Int, block b: Int, rows: Int, firstRow: Int,
                              image n: Int, _ s: ConvolutionShape, _ wp: Int, bias: UnsafePointer<Float>?,
                              slope: Float?, output: UnsafeMutablePointer<Float>) {
        let f = NegativeSlope(slope: slope ?? 1)
        for j in 0..<min(block, s.outChannels - b * block) {
            let o = b * block + j, shift = bias?[o] ?? 0
            let plane = output + (n * s.outChannels + o) * s.plane + firstRow * s.width
            for r in 0..<rows {
                let src = scratch + j * lane + r * wp, dst = plane + r * s.width
                if slope != nil {
                    for x in 0..<s.width { dst[x] = f(src[x] + shift) }
                } else {
                    for x in 0..<s.width { dst[x] = src[x] + shift }
                }
            }
        }
    }
}

extension DirectConvolution {
    /// Whether the direct form is used for `s` (forward and input gradient), from `degrade bench --conv` on this
    /// network's layers: it took 0.1–0.9× the CPU time of im2col + GEMM for every k > 1 layer from 4×4 planes up,
    /// but 1.0–1.4× on SPyNet's 2×2 level (mostly dropped lanes) and 1.1× for the 1×1 fusion 64 → 32 on one
    /// thread (no im2col to save there). Against `NarrowConvolution` (≤ 4 outputs) it took 0.25–0.6× for 32 → 3
    /// and 16 → 2 but 1.3× for 64 → 3 at 256², which stays narrow.
    /// Whether this build compiles the kernels to FMA instructions (Package.swift's DEGRADE_VECTOR_KERNELS): a
    /// generic build calls libm's fmaf per lane, and im2col + GEMM is much faster there.
    #if DEGRADE_VECTOR_KERNELS
    static let vectorKernels = true
    #else
    static let vectorKernels = false
    #endif

    static func pays(_ s: ConvolutionShape) -> Bool {
        guard vectorKernels else { return false }
        let narrowWide = s.outChannels <= NarrowConvolution.maxOutChannels && s.inChannels >= 64
        return s.plane >= 16 && (s.kernel > 1 || s.inChannels <= 32) && !narrowWide
    }
}
