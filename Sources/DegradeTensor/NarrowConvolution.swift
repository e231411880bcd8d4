/// Forward pass of convolutions with few output channels (the RGB output layers, SPyNet's flow layer) as direct
/// row-by-row multiply-adds: as a GEMM they have 2–4 rows against an im2col matrix `Cin·k²` rows tall, so building
/// that matrix costs far more than the products (measured: 32 → 3 at 128² ran at ≈ 4 GFLOP/s through im2col).
///
/// Each output row accumulates `Σ_{c, u, v} w[o, c, u, v] · x[c, y + u − p, · + v − p]` in that fixed order, so the
/// result does not depend on the thread count.
enum NarrowConvolution {
    static let maxOutChannels = 4

    /// Whether the direct form pays for `s`: few outputs from a layer wide enough that im2col would dominate.
    static func applies(_ s: ConvolutionShape) -> Bool {
        s.outChannels <= maxOutChannels && s.inChannels >= 8
    }

    /// `output = act(W ⊛ input + bias)`.
    static func forward(_ s: ConvolutionShape, input: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, slope: Float?, output: UnsafeMutablePointer<Float>) {
        let k = s.kernel, p = s.padding, w = s.width, couts = s.outChannels
        ComputeContext.current.parallelFor(s.images * s.height) { job in
            let n = job / s.height, y = job % s.height
            withUnsafeTemporaryAllocation(of: Float.self, capacity: couts * w) { scratch in
                let acc = scratch.baseAddress!
                acc.update(repeating: 0, count: couts * w)
                for c in 0..<s.inChannels {
                    let plane = input + (n * s.inChannels + c) * s.plane
                    for u in 0..<k {
                        let sy = y + u - p
                        guard sy >= 0 && sy < s.height else { continue }
                        let row = plane + sy * w
                        for v in 0..<k {
                            let dx = v - p, x0 = max(0, -dx), x1 = min(w, w - dx)
                            guard x0 < x1 else { continue }
                            for o in 0..<couts {
                                let weight = weights[((o * s.inChannels + c) * k + u) * k + v]
                                let target = acc + o * w, source = row + dx
                                var x = x0
                                while x < x1 { target[x] += weight * source[x]; x &+= 1 }
                            }
                        }
                    }
                }
                let f = NegativeSlope(slope: slope ?? 1)
                for o in 0..<couts {
                    let shift = bias?[o] ?? 0, src = acc + o * w
                    let dst = output + (n * couts + o) * s.plane + y * w
                    if slope != nil {
                        for x in 0..<w { dst[x] = f(src[x] + shift) }
                    } else {
                        for x in 0..<w { dst[x] = src[x] + shift }
                    }
                }
            }
        }
    }
}
