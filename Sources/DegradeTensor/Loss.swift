/// Pixel losses with mean reduction, as scalars. Sums are accumulated in Double; gradients flow to both arguments.
public enum Loss {
    /// `mean |p − t|` (PyTorch `l1_loss`; RealBasicVSR's pixel and cleaning losses). Gradient w.r.t. `p`:
    /// `sign(p − t)/n` with `sign(0) = 0`, as PyTorch.
    public static func l1(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        reduce("l1", prediction, target, AbsoluteDifference(), L1Gradient.self)
    }

    /// `mean (p − t)²` (PyTorch `mse_loss`; PSNR is `10·log10(1/mse)` for [0, 1] images). Gradient: `2(p − t)/n`.
    public static func mse(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        reduce("mse", prediction, target, SquaredDifference(), MSEGradient.self)
    }

    /// `mean sqrt((p − t)² + ε)` — BasicSR's / MMEditing's `CharbonnierLoss` (ε added under the root, default
    /// 1e-12, i.e. a smoothing radius of 1e-6), not the `ε²` form of some papers. Gradient:
    /// `(p − t) / sqrt((p − t)² + ε) / n`.
    public static func charbonnier(_ prediction: Tensor, _ target: Tensor, epsilon: Float = 1e-12) -> Tensor {
        precondition(epsilon >= 0, "Loss.charbonnier: epsilon must be ≥ 0, got \(epsilon)")
        checkPair("charbonnier", prediction, target)
        let f = Charbonnier(epsilon: epsilon)
        let n = Double(prediction.count)
        let value = CPUElementwise.sum(prediction.count, prediction.pointer, target.pointer, f) / n
        return record("charbonnier", prediction, target, value) { p, t, scale in
            let gp = Tensor(uninitialized: p.shape)
            CPUElementwise.map(p.count, p.pointer, t.pointer, gp.pointer, CharbonnierGradient(epsilon: epsilon, scale: scale))
            return gp
        }
    }

    private static func reduce<F: BinaryFunction, G: LossGradient>(_ name: String, _ prediction: Tensor, _ target: Tensor,
                                                                     _ f: F, _: G.Type) -> Tensor {
        checkPair(name, prediction, target)
        let n = Double(prediction.count)
        let value = CPUElementwise.sum(prediction.count, prediction.pointer, target.pointer, f) / n
        return record(name, prediction, target, value) { p, t, scale in
            let gp = Tensor(uninitialized: p.shape)
            CPUElementwise.map(p.count, p.pointer, t.pointer, gp.pointer, G(scale: scale))
            return gp
        }
    }

    private static func checkPair(_ name: String, _ prediction: Tensor, _ target: Tensor) {
        precondition(prediction.shape == target.shape,
                     "Loss.\(name): prediction \(prediction.shape) and target \(target.shape) must match")
        precondition(prediction.count > 0, "Loss.\(name): tensors are empty")
    }

    /// A scalar loss whose gradient w.r.t. the prediction is `gradient(p, t, g/n)`; the target gets its negation.
    private static func record(_ name: String, _ prediction: Tensor, _ target: Tensor, _ value: Double,
                               _ gradient: @escaping (Tensor, Tensor, Float) -> Tensor) -> Tensor {
        let n = Double(prediction.count)
        let (p, t) = (prediction.detached(), target.detached())
        let needs = (prediction.requiresGradient, target.requiresGradient)
        return Tensor(Float(value)).recorded(name, [prediction, target]) { g in
            let gp = gradient(p, t, Float(Double(g.scalar) / n))
            return [needs.0 ? .full(gp) : nil, needs.1 ? .full(-gp) : nil]
        }
    }
}

private protocol LossGradient: BinaryFunction { init(scale: Float) }

private struct AbsoluteDifference: BinaryFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { abs(a - b) }
}
private struct SquaredDifference: BinaryFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { (a - b) * (a - b) }
}
private struct Charbonnier: BinaryFunction {
    let epsilon: Float
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { ((a - b) * (a - b) + epsilon).squareRoot() }
}
private struct L1Gradient: LossGradient {
    let scale: Float
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float {
        a > b ? scale : (a < b ? -scale : 0)
    }
}
private struct MSEGradient: LossGradient {
    let scale: Float
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { 2 * (a - b) * scale }
}
private struct CharbonnierGradient: BinaryFunction {
    let epsilon: Float
    let scale: Float
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float {
        let d = a - b
        let r = (d * d + epsilon).squareRoot()
        return r > 0 ? d / r * scale : 0
    }
}
