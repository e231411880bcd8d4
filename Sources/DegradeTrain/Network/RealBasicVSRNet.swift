import DegradeMedia
import DegradeTensor
import Foundation

/// The generator: RealBasicVSR (Chan et al. 2022) at a configurable size, ×4.
///
/// ```
/// cleaned = lq + image_cleaning(lq)                         (per frame; one cleaning pass, as in training)
/// b_t = backward_resblocks(concat(cleaned_t, b_{t+1}))      (t = T−1 … 0, b_T = 0)
/// f_t = forward_resblocks(concat(cleaned_t, f_{t−1}))       (t = 0 … T−1, f_{−1} = 0)
/// y_t = lrelu(fusion(concat(b_t, f_t)))                     (1×1, 2C → C)
/// y_t = lrelu(shuffle₂(upsample2.conv(lrelu(shuffle₂(upsample1.conv(y_t))))))
/// out_t = conv_last(lrelu(conv_hr(y_t))) + bilinear×4(cleaned_t)
/// ```
/// **No alignment**: BasicVSR warps the propagated feature with SPyNet optical flow before each step; this
/// network propagates unwarped features (the recurrent blocks learn to absorb small motion). Checkpoints therefore
/// carry no `spynet.*` tensors, and mmedit checkpoints load only if their spynet entries are dropped.
///
/// Parameter names follow mmedit's `RealBasicVSRNet` state dict (C = channels, Nc / Np = cleaning / propagation
/// blocks):
///
/// | name | shape |
/// |---|---|
/// | `image_cleaning.0.main.0.{weight,bias}` | `[C, 3, 3, 3]`, `[C]` |
/// | `image_cleaning.0.main.2.<i>.conv{1,2}.{weight,bias}` (i < Nc) | `[C, C, 3, 3]`, `[C]` |
/// | `image_cleaning.1.{weight,bias}` | `[3, C, 3, 3]`, `[3]` |
/// | `backward_resblocks.main.0.{weight,bias}`, `forward_resblocks.main.0.*` | `[C, C+3, 3, 3]`, `[C]` |
/// | `{backward,forward}_resblocks.main.2.<i>.conv{1,2}.*` (i < Np) | `[C, C, 3, 3]`, `[C]` |
/// | `fusion.{weight,bias}` | `[C, 2C, 1, 1]`, `[C]` |
/// | `upsample{1,2}.upsample_conv.{weight,bias}` | `[4C, C, 3, 3]`, `[4C]` |
/// | `conv_hr.{weight,bias}` | `[C, C, 3, 3]`, `[C]` |
/// | `conv_last.{weight,bias}` | `[3, C, 3, 3]`, `[3]` |
///
/// Initialisation is a pure function of the seed (SplitMix64, layers in the table's order): PyTorch's default
/// conv init, residual blocks Kaiming-normal × 0.1 with zero bias.
public final class RealBasicVSRNet: @unchecked Sendable {
    public let configuration: TrainConfig.NetworkConfig
    /// Upscaling factor of the output (fixed by the two ×2 shuffles).
    public static let scale = 4

    let cleaning: ResidualBlocksWithInputConv
    let cleaningOut: Conv2d
    let backwardBlocks: ResidualBlocksWithInputConv
    let forwardBlocks: ResidualBlocksWithInputConv
    let fusion: Conv2d
    let upsample1: PixelShufflePack
    let upsample2: PixelShufflePack
    let convHR: Conv2d
    let convLast: Conv2d

    /// A freshly initialised network; equal seeds give bitwise-equal weights.
    public init(configuration: TrainConfig.NetworkConfig, seed: UInt64) {
        self.configuration = configuration
        let c = configuration.channels
        var rng = SplitMix64(seed: seed ^ 0x5245_414C_4253_5652)  // "REALBSVR": init stream apart from data draws
        cleaning = ResidualBlocksWithInputConv(inChannels: 3, channels: c, blocks: configuration.cleaningBlocks,
                                               name: "image_cleaning.0", using: &rng)
        cleaningOut = Conv2d(inChannels: c, outChannels: 3, kernelSize: 3, name: "image_cleaning.1", using: &rng)
        backwardBlocks = ResidualBlocksWithInputConv(inChannels: c + 3, channels: c, blocks: configuration.propagationBlocks,
                                                     name: "backward_resblocks", using: &rng)
        forwardBlocks = ResidualBlocksWithInputConv(inChannels: c + 3, channels: c, blocks: configuration.propagationBlocks,
                                                    name: "forward_resblocks", using: &rng)
        fusion = Conv2d(inChannels: 2 * c, outChannels: c, kernelSize: 1, activation: .leakyReLU(slope: 0.1),
                        name: "fusion", using: &rng)
        upsample1 = PixelShufflePack(channels: c, name: "upsample1", using: &rng)
        upsample2 = PixelShufflePack(channels: c, name: "upsample2", using: &rng)
        convHR = Conv2d(inChannels: c, outChannels: c, kernelSize: 3, activation: .leakyReLU(slope: 0.1),
                        name: "conv_hr", using: &rng)
        convLast = Conv2d(inChannels: c, outChannels: 3, kernelSize: 3, name: "conv_last", using: &rng)
    }

    /// Every trainable tensor, in a fixed order (the table's).
    public var parameters: [Parameter] {
        cleaning.parameters + cleaningOut.parameters + backwardBlocks.parameters + forwardBlocks.parameters
            + fusion.parameters + upsample1.parameters + upsample2.parameters + convHR.parameters + convLast.parameters
    }

    /// The ×4 output `[N, T, 3, 4h, 4w]` and the cleaned input `[N, T, 3, h, w]` (for the cleaning loss) of a
    /// clip batch `lq: [N, T, 3, h, w]`. Frames share all weights; per-frame layers run on all N·T frames at once.
    public func forward(_ lq: Tensor) -> (output: Tensor, cleaned: Tensor) {
        precondition(lq.rank == 5 && lq.shape[2] == 3, "RealBasicVSRNet: input must be [N, T, 3, h, w], got \(lq.shape)")
        let (n, t, h, w) = (lq.shape[0], lq.shape[1], lq.shape[3], lq.shape[4])
        let c = configuration.channels
        let flat = lq.reshaped([n * t, 3, h, w])
        let cleanedFlat = flat + cleaningOut(cleaning(flat))
        let cleaned = cleanedFlat.reshaped([n, t, 3, h, w])
        let frames = (0..<t).map { cleaned.select(axis: 1, index: $0) }

        var backward = [Tensor]()
        var feature = Tensor.zeros([n, c, h, w])
        for i in stride(from: t - 1, through: 0, by: -1) {
            feature = backwardBlocks(Tensor.concat([frames[i], feature], axis: 1))
            backward.append(feature)
        }
        backward.reverse()
        var forward = [Tensor]()
        feature = Tensor.zeros([n, c, h, w])
        for i in 0..<t {
            feature = forwardBlocks(Tensor.concat([frames[i], feature], axis: 1))
            forward.append(feature)
        }
        let b = Tensor.stack(backward, axis: 1).reshaped([n * t, c, h, w])
        let f = Tensor.stack(forward, axis: 1).reshaped([n * t, c, h, w])
        var y = fusion(Tensor.concat([b, f], axis: 1))
        y = convLast(convHR(upsample2(upsample1(y))))
        let out = y + cleanedFlat.upsampleBilinear(scale: RealBasicVSRNet.scale)
        return (out.reshaped([n, t, 3, h * 4, w * 4]), cleaned)
    }

    /// Upscales one clip ×4 with the current weights (load EMA weights for evaluation), without recording
    /// gradients. Output values are clamped to [0, 1].
    /// - Throws: `OpError`-style `TrainError` when the frames differ in size or are not RGB.
    public func upscale(_ lq: [Image]) throws -> [Image] {
        guard let first = lq.first else { return [] }
        guard lq.allSatisfy({ $0.width == first.width && $0.height == first.height && $0.channels == 3 }) else {
            throw TrainError("upscale: every frame must be RGB and \(first.width)×\(first.height)")
        }
        let input = ClipTensor.batch([lq])
        let output = GradientMode.withoutGradients { forward(input).output }
        return ClipTensor.images(output, clip: 0, clamp: true)
    }
}
