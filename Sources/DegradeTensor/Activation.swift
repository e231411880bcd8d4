/// A pointwise nonlinearity, standalone or fused into `conv2d`'s output.
public enum Activation: Sendable, Equatable, CustomStringConvertible {
    /// `f(x) = x`.
    case identity
    /// `f(x) = max(x, 0)`; derivative 1 for `x > 0`, else 0 (PyTorch's convention at 0).
    case relu
    /// `f(x) = x` for `x > 0`, else `slope·x`; derivative 1 for `x > 0`, else `slope` (PyTorch's convention).
    /// RealBasicVSR uses slope 0.1.
    /// - Precondition: `slope ≥ 0` (the backward pass reads the sign of the output).
    case leakyReLU(slope: Float)

    /// Slope for negative inputs, nil for `identity`.
    var negativeSlope: Float? {
        switch self {
        case .identity: return nil
        case .relu: return 0
        case .leakyReLU(let slope):
            precondition(slope >= 0, "Activation.leakyReLU: slope must be ≥ 0, got \(slope)")
            return slope
        }
    }

    public var description: String {
        switch self {
        case .identity: return "identity"
        case .relu: return "relu"
        case .leakyReLU(let slope): return "leakyReLU(\(slope))"
        }
    }
}

extension Tensor {
    /// `max(x, 0)` elementwise.
    public func relu() -> Tensor { activated(.relu) }

    /// `x > 0 ? x : slope·x` elementwise (default slope 0.1, RealBasicVSR's).
    public func leakyReLU(slope: Float = 0.1) -> Tensor { activated(.leakyReLU(slope: slope)) }

    /// `activation` applied elementwise. The backward pass uses the output's sign, which equals the input's for
    /// every supported activation, so no extra copy of the input is kept.
    public func activated(_ activation: Activation) -> Tensor {
        guard let slope = activation.negativeSlope else { return self }
        let out = Tensor(uninitialized: shape)
        CPUElementwise.map(count, pointer, out.pointer, NegativeSlope(slope: slope))
        let kept = out
        return out.recorded(activation.description, [self]) { g in
            [.full(activationGradient(g, output: kept, slope: slope))]
        }
    }
}

/// `g · f'(x)` for a (leaky) ReLU, from its output `y`: `y > 0 ⇔ x > 0` for slope ≥ 0.
func activationGradient(_ g: Tensor, output: Tensor, slope: Float) -> Tensor {
    let dx = Tensor(uninitialized: g.shape)
    CPUElementwise.map(g.count, g.pointer, output.pointer, dx.pointer, MaskBySign(slope: slope))
    return dx
}

/// `x > 0 ? x : slope·x` (slope 0 gives +0 for negative inputs, like `max(x, 0)`).
struct NegativeSlope: UnaryFunction {
    let slope: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : (slope == 0 ? 0 : x * slope) }
}

/// `y > 0 ? g : slope·g`.
struct MaskBySign: BinaryFunction {
    let slope: Float
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { y > 0 ? g : g * slope }
}
