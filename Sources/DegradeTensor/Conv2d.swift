import Foundation

/// A convolution layer: a `[Cout, Cin, k, k]` weight, an optional `[Cout]` bias and a fused activation, applied
/// with `Tensor.conv2d` (stride 1, 'same' zero padding). Parameter names follow PyTorch state-dict keys
/// (`"<name>.weight"`, `"<name>.bias"`).
public struct Conv2d: Sendable {
    public let weight: Parameter
    public let bias: Parameter?
    public var activation: Activation

    /// Wraps existing parameters.
    public init(weight: Parameter, bias: Parameter?, activation: Activation = .identity) {
        self.weight = weight
        self.bias = bias
        self.activation = activation
    }

    /// A layer with PyTorch's default `nn.Conv2d` initialisation: weight and bias uniform in
    /// `[−1/√fanIn, 1/√fanIn)`, `fanIn = Cin·k²` (what `kaiming_uniform_(a=√5)` reduces to), weight drawn first.
    public init<G: RandomNumberGenerator>(inChannels: Int, outChannels: Int, kernelSize: Int, bias: Bool = true,
                                          activation: Activation = .identity, name: String = "conv",
                                          using generator: inout G) {
        let bound = Float(1 / Double(inChannels * kernelSize * kernelSize).squareRoot())
        let w = Tensor.uniform([outChannels, inChannels, kernelSize, kernelSize], low: -bound, high: bound,
                               using: &generator)
        weight = Parameter(w, name: "\(name).weight")
        self.bias = bias
            ? Parameter(Tensor.uniform([outChannels], low: -bound, high: bound, using: &generator), name: "\(name).bias")
            : nil
        self.activation = activation
    }

    /// `act(conv2d(x, weight) + bias)`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.conv2d(weight: weight.value, bias: bias?.value, activation: activation)
    }

    /// Weight, then bias if any.
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
}
