extension Tensor {
    /// Bilinear upsampling of the last two axes by an integer `scale`, PyTorch's
    /// `F.interpolate(x, scale_factor=scale, mode='bilinear', align_corners=False)`.
    ///
    /// For output column `X`: `sx = max(0, (X + ½)/scale − ½)`, `x0 = ⌊sx⌋`, `x1 = min(x0 + 1, W − 1)`,
    /// `λx = sx − x0`; the same for rows; then
    /// `out = (1−λy)·((1−λx)·in[y0,x0] + λx·in[y0,x1]) + λy·((1−λx)·in[y1,x0] + λx·in[y1,x1])`.
    /// Coordinates are computed in Float like PyTorch's CPU kernel. Gradient: each output's gradient spread back
    /// onto its four source pixels with the same weights.
    /// - Precondition: rank ≥ 2 and `scale ≥ 1`.
    public func upsampleBilinear(scale: Int) -> Tensor {
        precondition(rank >= 2 && scale >= 1, "upsampleBilinear: needs rank ≥ 2 and scale ≥ 1, got \(shape), \(scale)")
        let h = shape[rank - 2], w = shape[rank - 1]
        var outShape = shape
        outShape[rank - 2] = h * scale
        outShape[rank - 1] = w * scale
        let planes = count / max(1, h * w)
        let rows = BilinearTaps(source: h, scale: scale), columns = BilinearTaps(source: w, scale: scale)
        let out = Tensor(uninitialized: outShape)
        if h * w > 0 {
            BilinearKernel.forward(pointer, out.pointer, planes: planes, height: h, width: w, rows: rows, columns: columns)
        }
        let inShape = shape
        return out.recorded("upsampleBilinear", [self]) { g in
            let gx = Tensor.zeros(inShape)
            if h * w > 0 {
                BilinearKernel.backward(g.pointer, gx.pointer, planes: planes, height: h, width: w,
                                        rows: rows, columns: columns)
            }
            return [.full(gx)]
        }
    }
}

/// Per-output-index source taps along one axis for align_corners=False linear interpolation.
struct BilinearTaps: Sendable {
    var first: [Int] = []
    var second: [Int] = []
    var firstWeight: [Float] = []
    var secondWeight: [Float] = []

    init(source n: Int, scale: Int) {
        let step = 1 / Float(scale)
        for o in 0..<(n * scale) {
            let s = max(0, step * (Float(o) + 0.5) - 0.5)
            let i0 = min(Int(s), n - 1)
            let lambda = s - Float(i0)
            first.append(i0)
            second.append(i0 < n - 1 ? i0 + 1 : i0)
            firstWeight.append(1 - lambda)
            secondWeight.append(lambda)
        }
    }
}

enum BilinearKernel {
    static func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, planes: Int,
                        height h: Int, width w: Int, rows: BilinearTaps, columns: BilinearTaps) {
        let oh = rows.first.count, ow = columns.first.count
        ComputeContext.current.parallelFor(planes * oh) { index in
            let plane = index / oh, y = index % oh
            let top = input + (plane * h + rows.first[y]) * w, bottom = input + (plane * h + rows.second[y]) * w
            let wy0 = rows.firstWeight[y], wy1 = rows.secondWeight[y]
            let dst = output + index * ow
            for x in 0..<ow {
                let x0 = columns.first[x], x1 = columns.second[x]
                let wx0 = columns.firstWeight[x], wx1 = columns.secondWeight[x]
                dst[x] = wy0 * (wx0 * top[x0] + wx1 * top[x1]) + wy1 * (wx0 * bottom[x0] + wx1 * bottom[x1])
            }
        }
    }

    /// Adjoint of `forward`, accumulated into the zeroed `gradInput` one plane per task (a fixed order per plane).
    static func backward(_ gradOutput: UnsafePointer<Float>, _ gradInput: UnsafeMutablePointer<Float>, planes: Int,
                         height h: Int, width w: Int, rows: BilinearTaps, columns: BilinearTaps) {
        let oh = rows.first.count, ow = columns.first.count
        ComputeContext.current.parallelFor(planes) { plane in
            let gin = gradInput + plane * h * w
            for y in 0..<oh {
                let top = gin + rows.first[y] * w, bottom = gin + rows.second[y] * w
                let wy0 = rows.firstWeight[y], wy1 = rows.secondWeight[y]
                let src = gradOutput + (plane * oh + y) * ow
                for x in 0..<ow {
                    let x0 = columns.first[x], x1 = columns.second[x]
                    let wx0 = columns.firstWeight[x], wx1 = columns.secondWeight[x]
                    let g = src[x]
                    top[x0] += wy0 * wx0 * g
                    top[x1] += wy0 * wx1 * g
                    bottom[x0] += wy1 * wx0 * g
                    bottom[x1] += wy1 * wx1 * g
                }
            }
        }
    }
}

extension Tensor {
    /// Bilinear resampling of the last two axes to `height × width`, PyTorch's
    /// `F.interpolate(x, size=(height, width), mode='bilinear', align_corners=alignCorners)` (also what
    /// `scale_factor=s` gives with `align_corners=True`, whose coordinates depend only on the sizes).
    ///
    /// Source coordinate of output index `o` (computed in Float as PyTorch's CPU kernel does): with
    /// `alignCorners`, `o·(in − 1)/(out − 1)` (0 when `out = 1`); without, `max(0, (o + ½)·in/out − ½)`. Taps and
    /// weights then as in `upsampleBilinear(scale:)`. Gradient: the adjoint (each output's gradient spread back
    /// onto its source pixels).
    /// - Precondition: rank ≥ 2, sides ≥ 1 on input and output.
    public func resizeBilinear(height: Int, width: Int, alignCorners: Bool) -> Tensor {
        precondition(rank >= 2 && height >= 1 && width >= 1 && shape[rank - 2] >= 1 && shape[rank - 1] >= 1,
                     "resizeBilinear: needs rank ≥ 2 and non-empty sides, got \(shape) → \(height)×\(width)")
        let h = shape[rank - 2], w = shape[rank - 1]
        var outShape = shape
        outShape[rank - 2] = height
        outShape[rank - 1] = width
        let planes = count / (h * w)
        let rows = BilinearTaps(source: h, output: height, alignCorners: alignCorners)
        let columns = BilinearTaps(source: w, output: width, alignCorners: alignCorners)
        let out = Tensor(uninitialized: outShape)
        BilinearKernel.forward(pointer, out.pointer, planes: planes, height: h, width: w, rows: rows, columns: columns)
        let inShape = shape
        return out.recorded("resizeBilinear", [self]) { g in
            let gx = Tensor.zeros(inShape)
            BilinearKernel.backward(g.pointer, gx.pointer, planes: planes, height: h, width: w, rows: rows, columns: columns)
            return [.full(gx)]
        }
    }
}

extension BilinearTaps {
    /// Taps for resampling `n` samples to `m` (see `Tensor.resizeBilinear`).
    init(source n: Int, output m: Int, alignCorners: Bool) {
        let scale: Float = alignCorners ? (m > 1 ? Float(n - 1) / Float(m - 1) : 0) : Float(n) / Float(m)
        for o in 0..<m {
            let s = alignCorners ? scale * Float(o) : max(0, scale * (Float(o) + 0.5) - 0.5)
            let i0 = min(Int(s), n - 1)
            let lambda = min(max(s - Float(i0), 0), 1)
            first.append(i0)
            second.append(i0 < n - 1 ? i0 + 1 : i0)
            firstWeight.append(1 - lambda)
            secondWeight.append(lambda)
        }
    }
}
