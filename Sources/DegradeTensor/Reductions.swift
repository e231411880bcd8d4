extension Tensor {
    /// `Σ x` over all elements, as a scalar (accumulated in Double in fixed chunks). Gradient: `g` everywhere.
    public func sum() -> Tensor {
        let out = Tensor(Float(CPUElementwise.sum(count, pointer, Identity())))
        let inShape = shape
        return out.recorded("sum", [self]) { g in [.full(Tensor(shape: inShape, repeating: g.scalar))] }
    }

    /// `(1/n) Σ x` over all `n` elements, as a scalar. Gradient: `g/n` everywhere.
    public func mean() -> Tensor {
        precondition(count > 0, "mean: tensor \(shape) is empty")
        let n = Double(count)
        let out = Tensor(Float(CPUElementwise.sum(count, pointer, Identity()) / n))
        let inShape = shape
        return out.recorded("mean", [self]) { g in [.full(Tensor(shape: inShape, repeating: Float(Double(g.scalar) / n)))] }
    }
}
