import DegradeTensor
import Foundation

/// BasicSR's `ResidualBlockNoBN`: `x + conv2(relu(conv1(x)))` (residual scale 1), both convs 3×3 C→C with bias.
/// Initialised as BasicVSR does (`default_init_weights(scale=0.1)`): Kaiming-normal weights (fan-in, gain √2)
/// scaled by 0.1 and zero biases, so a fresh block is close to the identity.
struct ResidualBlock {
    let conv1: Conv2d
    let conv2: Conv2d

    init(channels c: Int, name: String, using rng: inout SplitMix64) {
        conv1 = ResidualBlock.scaledKaiming(c, c, name: "\(name).conv1", activation: .relu, using: &rng)
        conv2 = ResidualBlock.scaledKaiming(c, c, name: "\(name).conv2", activation: .identity, using: &rng)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { x + conv2(conv1(x)) }

    var parameters: [Parameter] { conv1.parameters + conv2.parameters }

    /// Kaiming-normal `std = √(2 / (Cin·9))`, times 0.1; bias 0.
    static func scaledKaiming(_ cin: Int, _ cout: Int, name: String, activation: Activation,
                              using rng: inout SplitMix64) -> Conv2d {
        let std = Float((2.0 / Double(cin * 9)).squareRoot() * 0.1)
        let w = Tensor.normal([cout, cin, 3, 3], standardDeviation: std, using: &rng)
        return Conv2d(weight: Parameter(w, name: "\(name).weight"),
                      bias: Parameter(Tensor.zeros([cout]), name: "\(name).bias"), activation: activation)
    }
}

/// BasicVSR's `ResidualBlocksWithInputConv`: `main = [conv3×3 in→C, LeakyReLU(0.1), N × ResidualBlockNoBN]`,
/// parameter names `<name>.main.0.*` and `<name>.main.2.<i>.conv{1,2}.*` as in the mmedit state dict.
struct ResidualBlocksWithInputConv {
    let inputConv: Conv2d
    let blocks: [ResidualBlock]

    init(inChannels: Int, channels: Int, blocks count: Int, name: String, using rng: inout SplitMix64) {
        inputConv = Conv2d(inChannels: inChannels, outChannels: channels, kernelSize: 3,
                           activation: .leakyReLU(slope: 0.1), name: "\(name).main.0", using: &rng)
        blocks = (0..<count).map { ResidualBlock(channels: channels, name: "\(name).main.2.\($0)", using: &rng) }
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        blocks.reduce(inputConv(x)) { $1($0) }
    }

    var parameters: [Parameter] { inputConv.parameters + blocks.flatMap(\.parameters) }
}

/// mmedit's `PixelShufflePack` followed by BasicVSR's LeakyReLU(0.1): conv3×3 in→4·out, pixel shuffle ×2. The
/// activation is fused into the conv (an elementwise function commutes with the shuffle's permutation).
struct PixelShufflePack {
    let conv: Conv2d

    init(inChannels: Int, outChannels: Int, name: String, using rng: inout SplitMix64) {
        conv = Conv2d(inChannels: inChannels, outChannels: outChannels * 4, kernelSize: 3,
                      activation: .leakyReLU(slope: 0.1), name: "\(name).upsample_conv", using: &rng)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { conv(x).pixelShuffle(2) }

    var parameters: [Parameter] { conv.parameters }
}
