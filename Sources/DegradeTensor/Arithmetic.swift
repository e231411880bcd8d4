/// Elementwise arithmetic on tensors of identical shape, and with scalars. No broadcasting: shapes must match.
extension Tensor {
    /// `a + b` elementwise. Gradient: `g` to both.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = binary("add", a, b, Sum())
        return out.recorded("add", [a, b]) { g in [.full(g), .full(g)] }
    }

    /// `a − b` elementwise. Gradient: `g` to `a`, `−g` to `b`.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = binary("subtract", a, b, Difference())
        let needB = b.requiresGradient
        return out.recorded("subtract", [a, b]) { g in [.full(g), needB ? .full(-g) : nil] }
    }

    /// `a · b` elementwise. Gradient: `g·b` to `a`, `g·a` to `b`.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = binary("multiply", a, b, Product())
        let (ca, cb) = (a.detached(), b.detached())
        let (needA, needB) = (a.requiresGradient, b.requiresGradient)
        return out.recorded("multiply", [a, b]) { g in
            [needA ? .full(g * cb) : nil, needB ? .full(g * ca) : nil]
        }
    }

    /// `x · s` elementwise. Gradient: `g·s`.
    public static func * (x: Tensor, s: Float) -> Tensor {
        let out = Tensor(uninitialized: x.shape)
        CPUElementwise.map(x.count, x.pointer, out.pointer, Scale(factor: s))
        return out.recorded("scale", [x]) { g in [.full(g * s)] }
    }

    /// `s · x` elementwise.
    public static func * (s: Float, x: Tensor) -> Tensor { x * s }

    /// `x + s` elementwise. Gradient: `g`.
    public static func + (x: Tensor, s: Float) -> Tensor {
        let out = Tensor(uninitialized: x.shape)
        CPUElementwise.map(x.count, x.pointer, out.pointer, Offset(amount: s))
        return out.recorded("offset", [x]) { g in [.full(g)] }
    }

    /// `x − s` elementwise.
    public static func - (x: Tensor, s: Float) -> Tensor { x + (-s) }

    /// `−x`.
    public static prefix func - (x: Tensor) -> Tensor { x * -1 }

    private static func binary<F: BinaryFunction>(_ op: String, _ a: Tensor, _ b: Tensor, _ f: F) -> Tensor {
        precondition(a.shape == b.shape, "\(op): shapes must match, got \(a.shape) and \(b.shape)")
        let out = Tensor(uninitialized: a.shape)
        CPUElementwise.map(a.count, a.pointer, b.pointer, out.pointer, f)
        return out
    }
}

private struct Offset: UnaryFunction {
    let amount: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x + amount }
}
