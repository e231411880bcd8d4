import DegradeTensor
import Foundation

/// Real-ESRGAN / RealBasicVSR's U-Net discriminator (mmedit's `UNetDiscriminatorWithSpectralNorm` layout), giving
/// one real/fake logit per pixel: `[N, 3, H, W]` → `[N, 1, H, W]`.
///
/// With `C = channels` and `lrelu` = LeakyReLU(0.2):
/// ```
/// x0 = lrelu(conv0(x))                     3 → C
/// x1 = lrelu(conv1(down(x0)))              C → 2C     (½ size)
/// x2 = lrelu(conv2(down(x1)))              2C → 4C    (¼)
/// x3 = lrelu(conv3(down(x2)))              4C → 8C    (⅛)
/// x4 = lrelu(conv4(up(x3))) + x2           8C → 4C
/// x5 = lrelu(conv5(up(x4))) + x1           4C → 2C
/// x6 = lrelu(conv6(up(x5))) + x0           2C → C
/// y  = conv9(lrelu(conv8(lrelu(conv7(x6)))))  C → C → C → 1
/// ```
/// `up` is bilinear ×2 (align_corners=False), as mmedit. Departures from mmedit, for the CPU tensor library:
/// - mmedit's down-steps are 4×4 stride-2 convolutions; here `down` is 2×2 area averaging followed by a 3×3 conv
///   (4× cheaper, same receptive-field growth), so `conv1…conv3` weights are `[·, ·, 3, 3]` rather than 4×4.
/// - Spectral normalisation (mmedit applies it to conv1…conv8) is optional: `spectralNorm: true` wraps those
///   layers in `SpectralNorm`; off by default, where Adam's step size and the GAN loss weight bound the updates.
///
/// Parameter names follow mmedit's state dict: `conv0.weight`, `conv0.bias`, `conv1.weight` … `conv8.weight`
/// (no bias, as in mmedit), `conv9.weight`, `conv9.bias`; with spectral norm conv1…conv8 hold
/// `convN.weight_orig` plus the buffers `convN.weight_u`, `convN.weight_v` (PyTorch's names). Initialisation is
/// PyTorch's `nn.Conv2d` default drawn from `SplitMix64(seed:)` in layer order (then the spectral-norm vectors), so
/// equal seeds give equal networks.
struct UNetDiscriminator: Sendable {
    public let channels: Int
    /// conv0 … conv9 in order (for spectral-normed layers only the bias is used; the weight is `spectralNorms[i]`).
    public let convolutions: [Conv2d]
    /// Spectral normalisation of conv1 … conv8 by layer index, when enabled.
    let spectralNorms: [Int: SpectralNorm]

    /// - Precondition: `channels ≥ 1`.
    public init(channels: Int = 64, spectralNorm: Bool = false, seed: UInt64 = 0) {
        precondition(channels >= 1, "UNetDiscriminator: channels must be ≥ 1, got \(channels)")
        self.channels = channels
        let c = channels
        let shapes: [(Int, Int, Bool)] = [(3, c, true), (c, 2 * c, false), (2 * c, 4 * c, false), (4 * c, 8 * c, false),
                                          (8 * c, 4 * c, false), (4 * c, 2 * c, false), (2 * c, c, false),
                                          (c, c, false), (c, c, false), (c, 1, true)]
        var g = SplitMix64(seed: seed)
        let convs = shapes.enumerated().map { i, s in
            Conv2d(inChannels: s.0, outChannels: s.1, kernelSize: 3, bias: s.2, name: "conv\(i)", using: &g)
        }
        var norms: [Int: SpectralNorm] = [:]
        if spectralNorm {
            for i in 1...8 { norms[i] = SpectralNorm(weight: convs[i].weight.value.detached(), name: "conv\(i)", using: &g) }
        }
        convolutions = convs
        spectralNorms = norms
    }

    /// All trainable parameters, conv0 first (weight before bias; `weight_orig` for spectral-normed layers).
    public var parameters: [Parameter] {
        convolutions.enumerated().flatMap { i, c in
            spectralNorms[i].map { [$0.weight] } ?? c.parameters
        }
    }

    /// Trainable parameters and spectral-norm buffers (`weight_u`, `weight_v`): everything a checkpoint holds.
    var stateParameters: [Parameter] {
        parameters + spectralNorms.keys.sorted().flatMap { [spectralNorms[$0]!.u, spectralNorms[$0]!.v] }
    }

    /// Per-pixel logits (no sigmoid).
    /// - Precondition: `x` is `[N, 3, H, W]` with `H`, `W` divisible by 8.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == 3 && x.shape[2] % 8 == 0 && x.shape[3] % 8 == 0,
                     "UNetDiscriminator: input must be [N, 3, H, W] with H, W divisible by 8, got \(x.shape)")
        let k = convolutions
        func conv(_ i: Int, _ h: Tensor, act: Bool = true) -> Tensor {
            let w = spectralNorms[i]?.normalizedWeight() ?? k[i].weight.value
            return h.conv2d(weight: w, bias: k[i].bias?.value, activation: act ? .leakyReLU(slope: 0.2) : .identity)
        }
        let x0 = conv(0, x)
        let x1 = conv(1, x0.downsampleArea(factor: 2))
        let x2 = conv(2, x1.downsampleArea(factor: 2))
        let x3 = conv(3, x2.downsampleArea(factor: 2))
        let x4 = conv(4, x3.upsampleBilinear(scale: 2)) + x2
        let x5 = conv(5, x4.upsampleBilinear(scale: 2)) + x1
        let x6 = conv(6, x5.upsampleBilinear(scale: 2)) + x0
        return conv(9, conv(8, conv(7, x6)), act: false)
    }

    /// The weights as a safetensors state dict (for checkpoints).
    func stateDict() -> SafeTensors {
        var t: [String: SafeTensors.Entry] = [:]
        for p in stateParameters { t[p.name] = .init(shape: p.shape, values: p.value.scalars) }
        return SafeTensors(tensors: t)
    }

    /// Overwrites the weights from a state dict written by `stateDict()`.
    /// - Throws: `SafeTensorsError` naming a missing tensor or a shape mismatch; nothing is changed then.
    public func load(_ state: SafeTensors) throws {
        for p in stateParameters {
            guard let e = state.tensors[p.name] else {
                throw SafeTensorsError(path: "", message: "discriminator tensor \(p.name) is missing")
            }
            guard e.shape == p.shape else {
                throw SafeTensorsError(path: "", message: "discriminator tensor \(p.name) has shape \(e.shape), expected \(p.shape)")
            }
        }
        for p in stateParameters { p.assign(Tensor(shape: p.shape, scalars: state.tensors[p.name]!.values)) }
    }
}
