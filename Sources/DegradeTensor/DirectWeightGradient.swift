/// Weight gradient of a stride-1 'same' convolution as a direct reduction over the padded layout of
/// `DirectConvolution`, without im2col: `∂W[o, c, u, v] = Σ_n Σ_q D′[n, o, q] · Xpad[n, c, q + u·Wp + v]`, where
/// `D′` is the output gradient re-laid with the padded row width `Wp` (zero at `x ≥ W`, so the dropped columns add
/// nothing) and `q` runs over the flattened `H·Wp` outputs.
///
/// The micro-kernel holds 4 output channels × 3 horizontal taps = 12 `SIMD8<Float>` sums and per vector of `q`
/// loads 4 gradient vectors and 3 shifted input vectors. Sums live in a per-job array between chunks of `q` so a
/// chunk of `D′` (4 channels) and of the input plane stay in L1 across all input channels and kernel rows.
///
/// Jobs are output-channel blocks; each lane of each sum adds images then `q` in ascending order, and the 8 lanes
/// are added in a fixed order at the end, so the result does not depend on the thread count.
enum DirectWeightGradient {
    static let block = DirectConvolution.block

    /// Whether `compute` replaces im2col + GEMM for `s`, from `degrade bench --conv`: 0.35–0.9× its CPU time for
    /// k > 1 layers with ≤ 64 outputs on planes from 8×8 up, but 1.1–1.3× for the 128- and 256-output upsampling
    /// layers (where the GEMM runs at its best) and 2.6× for the 1×1 fusion.
    static func pays(_ s: ConvolutionShape) -> Bool {
        DirectConvolution.vectorKernels && s.kernel > 1 && s.outChannels <= 64 && s.plane >= 64
    }
    /// Flattened outputs per chunk (4 gradient rows of 4 KiB each).
    static let chunk = 1024

    static func compute(_ s: ConvolutionShape, input: UnsafePointer<Float>, d: UnsafePointer<Float>,
                        into gradWeights: UnsafeMutablePointer<Float>,
                        maxPaddedFloats: Int = DirectConvolution.maxPaddedFloats) {
        let blocks = DirectConvolution.Layout(shape: s).blocks, k = s.kernel, groups = (k + 2) / 3
        let sumsCount = s.inChannels * k * groups * 12 * 8
        BufferPool.shared.withBuffer(blocks * sumsCount) { allSums in
            allSums.update(repeating: 0, count: blocks * sumsCount)
            // Image groups bound the padded copies; each lane still adds images in ascending order.
            for (first, group) in DirectConvolution.imageGroups(s, maxPaddedFloats: maxPaddedFloats) {
                accumulate(group, input: input + first * s.inChannels * s.plane, d: d + first * s.outChannels * s.plane,
                           sums: allSums, sumsCount: sumsCount)
            }
            ComputeContext.current.parallelFor(blocks) { b in
                write(allSums + b * sumsCount, block: b, s, groups: groups, into: gradWeights)
            }
        }
    }

    /// Adds the products of the images of `s` into each block's sums.
    private static func accumulate(_ s: ConvolutionShape, input: UnsafePointer<Float>, d: UnsafePointer<Float>,
                                   sums allSums: UnsafeMutablePointer<Float>, sumsCount: Int) {
        let layout = DirectConvolution.Layout(shape: s)
        let wp = layout.paddedWidth, span = s.height * wp
        let dLength = (span + 7) / 8 * 8, blocks = layout.blocks
        let k = s.kernel, groups = (k + 2) / 3
        BufferPool.shared.withBuffer(layout.paddedCount) { padded in
            BufferPool.shared.withBuffer(s.images * blocks * block * dLength) { dPadded in
                DirectConvolution.pad(input, layout, into: padded)
                relayout(d, s, wp: wp, length: dLength, rows: blocks * block, into: dPadded)
                ComputeContext.current.parallelFor(blocks) { b in
                    let sums = allSums + b * sumsCount
                    for n in 0..<s.images {
                        let dBlock = dPadded + (n * blocks + b) * block * dLength
                        let xImage = padded + n * s.inChannels * layout.paddedPlane
                        var q0 = 0
                        while q0 < dLength {
                            let q1 = min(dLength, q0 + chunk)
                            for c in 0..<s.inChannels {
                                for u in 0..<k {
                                    for g in 0..<groups {
                                        let x = xImage + c * layout.paddedPlane + u * wp + 3 * g
                                        let slot = sums + ((c * k + u) * groups + g) * 96
                                        microKernel(dBlock, dLength, x, q0, q1, slot)
                                    }
                                }
                            }
                            q0 = q1
                        }
                    }
                }
            }
        }
    }

    /// `[N, Cout, H, W]` → `[N, rows, length]` with row width `wp`, zeros at `x ≥ W`, past `H·wp` and in the
    /// rows `≥ Cout` that fill the last block.
    private static func relayout(_ d: UnsafePointer<Float>, _ s: ConvolutionShape, wp: Int, length: Int, rows: Int,
                                 into out: UnsafeMutablePointer<Float>) {
        ComputeContext.current.parallelFor(s.images * rows) { i in
            let n = i / rows, o = i % rows, dst = out + i * length
            dst.update(repeating: 0, count: length)
            guard o < s.outChannels else { return }
            let src = d + (n * s.outChannels + o) * s.plane
            for y in 0..<s.height { (dst + y * wp).update(from: src + y * s.width, count: s.width) }
        }
    }

    /// Adds `Σ_q D′[j, q] · x[q + t]` for `j < 4`, `t < 3`, `q ∈ q0 ..< q1` into the 12 vector sums at `slot`.
    @inline(__always)
    private static func microKernel(_ dRows: UnsafePointer<Float>, _ dStride: Int, _ x: UnsafePointer<Float>,
                                    _ q0: Int, _ q1: Int, _ slot: UnsafeMutablePointer<Float>) {
        typealias V = SIMD8<Float>
        let sp = UnsafeMutableRawPointer(slot)
        var s00 = sp.load(as: V.self), s01 = sp.load(fromByteOffset: 32, as: V.self)
        var s02 = sp.load(fromByteOffset: 64, as: V.self), s10 = sp.load(fromByteOffset: 96, as: V.self)
        var s11 = sp.load(fromByteOffset: 128, as: V.self), s12 = sp.load(fromByteOffset: 160, as: V.self)
        var s20 = sp.load(fromByteOffset: 192, as: V.self), s21 = sp.load(fromByteOffset: 224, as: V.self)
        var s22 = sp.load(fromByteOffset: 256, as: V.self), s30 = sp.load(fromByteOffset: 288, as: V.self)
        var s31 = sp.load(fromByteOffset: 320, as: V.self), s32 = sp.load(fromByteOffset: 352, as: V.self)
        let d0 = UnsafeRawPointer(dRows), d1 = d0 + 4 * dStride, d2 = d1 + 4 * dStride, d3 = d2 + 4 * dStride
        let xp = UnsafeRawPointer(x)
        var q = q0
        while q < q1 {
            let o = 4 * q
            let x0 = xp.loadUnaligned(fromByteOffset: o, as: V.self)
            let x1 = xp.loadUnaligned(fromByteOffset: o + 4, as: V.self)
            let x2 = xp.loadUnaligned(fromByteOffset: o + 8, as: V.self)
            let g0 = d0.load(fromByteOffset: o, as: V.self), g1 = d1.load(fromByteOffset: o, as: V.self)
            let g2 = d2.load(fromByteOffset: o, as: V.self), g3 = d3.load(fromByteOffset: o, as: V.self)
            s00.addProduct(g0, x0); s01.addProduct(g0, x1); s02.addProduct(g0, x2)
            s10.addProduct(g1, x0); s11.addProduct(g1, x1); s12.addProduct(g1, x2)
            s20.addProduct(g2, x0); s21.addProduct(g2, x1); s22.addProduct(g2, x2)
            s30.addProduct(g3, x0); s31.addProduct(g3, x1); s32.addProduct(g3, x2)
            q &+= 8
        }
        sp.storeBytes(of: s00, as: V.self); sp.storeBytes(of: s01, toByteOffset: 32, as: V.self)
        sp.storeBytes(of: s02, toByteOffset: 64, as: V.self); sp.storeBytes(of: s10, toByteOffset: 96, as: V.self)
        sp.storeBytes(of: s11, toByteOffset: 128, as: V.self); sp.storeBytes(of: s12, toByteOffset: 160, as: V.self)
        sp.storeBytes(of: s20, toByteOffset: 192, as: V.self); sp.storeBytes(of: s21, toByteOffset: 224, as: V.self)
        sp.storeBytes(of: s22, toByteOffset: 256, as: V.self); sp.storeBytes(of: s30, toByteOffset: 288, as: V.self)
        sp.storeBytes(of: s31, toByteOffset: 320, as: V.self); sp.storeBytes(of: s32, toByteOffset: 352, as: V.self)
    }

    /// Lanes of each sum added in order → `∂W[o, c, u, v]` for the block's valid channels and taps.
    private static func write(_ sums: UnsafePointer<Float>, block b: Int, _ s: ConvolutionShape, groups: Int,
                              into gradWeights: UnsafeMutablePointer<Float>) {
        let k = s.kernel
        for j in 0..<min(block, s.outChannels - b * block) {
            let o = b * block + j
            for c in 0..<s.inChannels {
                for u in 0..<k {
                    for v in 0..<k {
                        let lanes = sums + ((c * k + u) * groups + v / 3) * 96 + (j * 3 + v % 3) * 8
                        var total: Float = 0
                        for l in 0..<8 { total += lanes[l] }
                        gradWeights[((o * s.inChannels + c) * k + u) * k + v] = total
                    }
                }
            }
        }
    }
}
