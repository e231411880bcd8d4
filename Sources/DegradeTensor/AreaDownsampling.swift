extension Tensor {
    /// Block-average downsampling of the last two axes by an integer `factor`: each output is the mean of its
    /// `factor × factor` input block (summed in Float, then divided by factor²) — PyTorch's
    /// `F.interpolate(x, scale_factor=1/factor, mode='area')` (adaptive average pooling) when the sides divide
    /// evenly. Gradient: each output's gradient / factor² to every pixel of its block.
    /// - Precondition: rank ≥ 2, both sides divisible by `factor ≥ 1`.
    public func downsampleArea(factor: Int) -> Tensor {
        precondition(rank >= 2 && factor >= 1 && shape[rank - 2] % factor == 0 && shape[rank - 1] % factor == 0,
                     "downsampleArea: the last two sides of \(shape) must be divisible by \(factor)")
        let f = factor, h = shape[rank - 2], w = shape[rank - 1], oh = h / f, ow = w / f
        var outShape = shape
        outShape[rank - 2] = oh
        outShape[rank - 1] = ow
        let out = Tensor(uninitialized: outShape)
        let rowsOut = out.count / max(1, ow)
        let norm = Float(f * f)
        let (src, dst) = (pointer, out.pointer)
        ComputeContext.current.parallelFor(ow == 0 ? 0 : rowsOut) { r in
            let plane = r / oh, y = r % oh
            let block = src + (plane * h + y * f) * w
            let row = dst + r * ow
            for x in 0..<ow {
                var s: Float = 0
                for u in 0..<f {
                    let line = block + u * w + x * f
                    for v in 0..<f { s += line[v] }
                }
                row[x] = s / norm
            }
        }
        let inShape = shape
        return out.recorded("downsampleArea", [self]) { g in
            let gx = Tensor(uninitialized: inShape)
            let (gs, gd) = (g.pointer, gx.pointer)
            ComputeContext.current.parallelFor(ow == 0 ? 0 : rowsOut) { r in
                let plane = r / oh, y = r % oh
                let row = gs + r * ow
                for u in 0..<f {
                    let line = gd + (plane * h + y * f + u) * w
                    for x in 0..<ow {
                        let v = row[x] / norm
                        for k in 0..<f { line[x * f + k] = v }
                    }
                }
            }
            return [.full(gx)]
        }
    }
}
