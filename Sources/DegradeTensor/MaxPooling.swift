extension Tensor {
    /// Non-overlapping max pooling of the last two axes: `y[…, i, j] = max_{0≤u,v<k} x[…, k·i + u, k·j + v]`,
    /// output sides `⌊H/k⌋ × ⌊W/k⌋` (trailing rows/columns that do not fill a window are dropped) — PyTorch's
    /// `nn.MaxPool2d(k)` (kernel = stride = k, no padding), VGG's pooling with `k = 2`.
    /// Gradient: each output's gradient goes to the first maximal element of its window (row-major scan), as
    /// PyTorch's CPU kernel does on ties; every other input gets 0.
    /// - Precondition: rank ≥ 2, `k ≥ 1`.
    public func maxPool2d(_ k: Int) -> Tensor {
        precondition(rank >= 2 && k >= 1, "maxPool2d: needs rank ≥ 2 and kernel ≥ 1, got \(shape) and \(k)")
        let h = shape[rank - 2], w = shape[rank - 1], oh = h / k, ow = w / k
        let planes = count / max(1, h * w)
        var outShape = shape
        outShape[rank - 2] = oh
        outShape[rank - 1] = ow
        let out = Tensor(uninitialized: outShape)
        // Flat input index of each output's winner, kept for the backward pass.
        var winners = [Int](repeating: 0, count: out.count)
        let (src, dst) = (pointer, out.pointer)
        winners.withUnsafeMutableBufferPointer { win in
            let wp = win.baseAddress
            ComputeContext.current.parallelFor(oh * ow == 0 ? 0 : planes * oh) { r in
                let plane = r / oh, y = r % oh
                for x in 0..<ow {
                    var best = (plane * h + y * k) * w + x * k
                    var bestValue = src[best]
                    for u in 0..<k {
                        for v in 0..<k {
                            let idx = (plane * h + y * k + u) * w + x * k + v
                            // `>` keeps the first maximum; NaN propagates like PyTorch's (a NaN wins).
                            if src[idx] > bestValue || src[idx].isNaN && !bestValue.isNaN {
                                best = idx
                                bestValue = src[idx]
                            }
                        }
                    }
                    dst[r * ow + x] = bestValue
                    wp![r * ow + x] = best
                }
            }
        }
        let inShape = shape
        let kept = winners
        return out.recorded("maxPool2d", [self]) { g in
            let gx = Tensor(shape: inShape, repeating: 0)
            let (gs, gd) = (g.pointer, gx.pointer)
            for i in 0..<kept.count { gd[kept[i]] += gs[i] }
            return [.full(gx)]
        }
    }
}
