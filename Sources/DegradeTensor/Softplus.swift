import Foundation

extension Tensor {
    /// `softplus(x) = log(1 + eˣ)` elementwise, evaluated stably as `max(x, 0) + log1p(e^{−|x|})` (no overflow
    /// for large `|x|`). `softplus(−x)` is the binary cross-entropy with logits for target 1, `softplus(x)` for
    /// target 0. Gradient: `g · σ(x)`, `σ(x) = 1 / (1 + e^{−x})`, also evaluated without overflow.
    public func softplus() -> Tensor {
        let out = Tensor(uninitialized: shape)
        CPUElementwise.map(count, pointer, out.pointer, StableSoftplus())
        let x = detached()
        return out.recorded("softplus", [self]) { g in
            let gx = Tensor(uninitialized: x.shape)
            CPUElementwise.map(g.count, g.pointer, x.pointer, gx.pointer, SigmoidScaled())
            return [.full(gx)]
        }
    }
}

/// `max(x, 0) + log1p(exp(−|x|))`.
struct StableSoftplus: UnaryFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.max(x, 0) + log1p(exp(-abs(x))) }
}

/// `g · σ(x)` with `σ` computed from `e^{−|x|}` so it never overflows.
struct SigmoidScaled: BinaryFunction {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        let e = exp(-abs(x))
        return g * (x >= 0 ? 1 / (1 + e) : e / (1 + e))
    }
}
