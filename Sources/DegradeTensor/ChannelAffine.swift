extension Tensor {
    /// `(x − mean[c]) / std[c]` per channel of an NCHW batch, PyTorch's `(x - mean.view(1, C, 1, 1)) / std.view(…)`
    /// (SPyNet's ImageNet normalisation). The constants take no gradient; `x` gets `g / std[c]`.
    /// - Precondition: `self` is `[N, C, H, W]`, `mean` and `std` have `C` entries.
    public func normalizedChannels(mean: [Float], std: [Float]) -> Tensor {
        precondition(rank == 4 && mean.count == shape[1] && std.count == shape[1],
                     "normalizedChannels: needs [N, C, H, W] and C means and deviations, got \(shape), \(mean.count), \(std.count)")
        let out = ChannelKernel.map(self) { x, c in (x - mean[c]) / std[c] }
        let inShape = shape
        return out.recorded("normalizedChannels", [self]) { g in
            [.full(ChannelKernel.map(Tensor(shape: inShape, storage: g.storage, node: nil)) { v, c in v / std[c] })]
        }
    }

    /// `x · factor[c]` per channel of an NCHW batch (e.g. rescaling a flow's x and y components separately).
    /// Gradient: `g · factor[c]`.
    /// - Precondition: `self` is `[N, C, H, W]`, `factors` has `C` entries.
    public func scaledChannels(_ factors: [Float]) -> Tensor {
        precondition(rank == 4 && factors.count == shape[1],
                     "scaledChannels: needs [N, C, H, W] and C factors, got \(shape) and \(factors.count)")
        let out = ChannelKernel.map(self) { x, c in x * factors[c] }
        let inShape = shape
        return out.recorded("scaledChannels", [self]) { g in
            [.full(ChannelKernel.map(Tensor(shape: inShape, storage: g.storage, node: nil)) { v, c in v * factors[c] })]
        }
    }
}

enum ChannelKernel {
    /// `f(x, channel)` for every element of an NCHW tensor, one plane per task.
    static func map(_ x: Tensor, _ f: (Float, Int) -> Float) -> Tensor {
        let (n, c) = (x.shape[0], x.shape[1]), plane = x.shape[2] * x.shape[3]
        let out = Tensor(uninitialized: x.shape)
        let (src, dst) = (x.pointer, out.pointer)
        ComputeContext.current.parallelFor(n * c) { p in
            let ch = p % c
            for k in 0..<plane { dst[p * plane + k] = f(src[p * plane + k], ch) }
        }
        return out
    }
}
