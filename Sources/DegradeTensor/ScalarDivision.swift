extension Tensor {
    /// `x / s` elementwise for a one-element tensor `s` (e.g. a weight divided by its spectral norm).
    /// Gradient: `g / s` to `x`, `−Σ(g·x) / s²` to `s` (summed in Double).
    /// - Precondition: `s` has one element.
    public func divided(by s: Tensor) -> Tensor {
        precondition(s.count == 1, "divided(by:): the divisor must have one element, got shape \(s.shape)")
        let d = s.scalar
        let out = Tensor(uninitialized: shape)
        CPUElementwise.map(count, pointer, out.pointer, Quotient(divisor: d))
        let x = detached()
        let divisorShape = s.shape
        let needs = (requiresGradient, s.requiresGradient)
        return out.recorded("divide", [self, s]) { g in
            var gx: Tensor?
            if needs.0 {
                let t = Tensor(uninitialized: x.shape)
                CPUElementwise.map(g.count, g.pointer, t.pointer, Quotient(divisor: d))
                gx = t
            }
            let gs: Tensor? = needs.1
                ? Tensor(shape: divisorShape, repeating: Float(-CPUElementwise.sum(g.count, g.pointer, x.pointer, Product())
                                                                   / (Double(d) * Double(d))))
                : nil
            return [gx.map { .full($0) }, gs.map { .full($0) }]
        }
    }
}

/// `x / divisor`.
struct Quotient: UnaryFunction {
    let divisor: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x / divisor }
}
