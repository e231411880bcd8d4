import DegradeMedia
import DegradeTensor
import Foundation

/// The generator: RealBasicVSR (Chan et al. 2022) at a configurable size, ×4 — mmagic's `RealBasicVSRNet` (image
/// cleaning in front of `BasicVSRNet`) with the same parameter names and shapes.
///
/// ```
/// cleaned = lq + image_cleaning(lq)                 (one cleaning pass, all frames at once)
/// flows   = SPyNet between neighbouring cleaned frames   (alignment: spynet; omitted for alignment: none)
/// b_t = backward_resblocks(concat(cleaned_t, warp(b_{t+1}, flow t→t+1)))   (t = T−1 … 0, b_T = 0, no warp at T−1)
/// f_t = forward_resblocks(concat(cleaned_t, warp(f_{t−1}, flow t→t−1)))    (t = 0 … T−1, f_{−1} = 0, no warp at 0)
/// y_t = lrelu(fusion(concat(b_t, f_t)))                              (1×1, 2C → C)
/// y_t = lrelu(shuffle₂(upsample2.conv(lrelu(shuffle₂(upsample1.conv(y_t))))))   (C → C → 64 channels)
/// out_t = conv_last(lrelu(conv_hr(y_t))) + bilinear×4(cleaned_t)
/// ```
/// As in mmagic's `BasicVSRNet.forward`: the backward branch warps with `spynet(lq_t, lq_{t+1})` ("flows_backward",
/// current → next), the forward branch with `spynet(lq_t, lq_{t−1})` ("flows_forward", current → previous), both
/// with `flow_warp` (bilinear, zero padding). mmagic skips the second SPyNet pass for mirror-extended clips, whose
/// forward flows equal the reversed backward ones; degrade always computes both, which gives the same values.
/// With `alignment: none` the propagated features are used unwarped (no `spynet` tensors).
///
/// **Cleaning**: one pass, `lq + image_cleaning(lq)` — mmagic's behaviour in training, where
/// `dynamic_refine_thres` is 255 (a residue's mean |·| is always below 255/255). mmagic's test-time option of up to
/// three passes until the mean |residue| falls below `dynamic_refine_thres / 255` is not implemented.
///
/// **Upsampling width**: mmagic hard-codes 64 channels after `upsample2` (`PixelShufflePack(C, 64)`,
/// `conv_hr` 64→64, `conv_last` 64→3) whatever the mid-channel count; degrade does the same (`hr_channels`, default
/// 64; other values give smaller networks that mmagic cannot load), so a checkpoint has mmagic's shapes at every
/// `channels`. Networks written before this layout (top-level names, upsampling at C
/// channels) still load for inference and `init_from` with `hr_channels` = C (see `GeneratorWeights.swift`).
///
/// Parameter names (C = channels, Nc / Np = cleaning / propagation blocks, mmagic's state dict):
///
/// | name | shape |
/// |---|---|
/// | `image_cleaning.0.main.0.{weight,bias}` | `[C, 3, 3, 3]`, `[C]` |
/// | `image_cleaning.0.main.2.<i>.conv{1,2}.{weight,bias}` (i < Nc) | `[C, C, 3, 3]`, `[C]` |
/// | `image_cleaning.1.{weight,bias}` | `[3, C, 3, 3]`, `[3]` |
/// | `basicvsr.spynet.basic_module.<l>.basic_module.<i>.conv.{weight,bias}` (l < 6, i < 5; spynet only) | `[o, i, 7, 7]`, 8→32→64→32→16→2 |
/// | `basicvsr.spynet.{mean,std}` (spynet only; buffers, not trained) | `[1, 3, 1, 1]` |
/// | `basicvsr.{backward,forward}_resblocks.main.0.{weight,bias}` | `[C, C+3, 3, 3]`, `[C]` |
/// | `basicvsr.{backward,forward}_resblocks.main.2.<i>.conv{1,2}.*` (i < Np) | `[C, C, 3, 3]`, `[C]` |
/// | `basicvsr.fusion.{weight,bias}` | `[C, 2C, 1, 1]`, `[C]` |
/// | `basicvsr.upsample1.upsample_conv.{weight,bias}` | `[4C, C, 3, 3]`, `[4C]` |
/// | `basicvsr.upsample2.upsample_conv.{weight,bias}` | `[4H, C, 3, 3]`, `[4H]` (H = hr_channels, mmagic: 64) |
/// | `basicvsr.conv_hr.{weight,bias}` | `[H, H, 3, 3]`, `[H]` |
/// | `basicvsr.conv_last.{weight,bias}` | `[3, H, 3, 3]`, `[3]` |
///
/// Initialisation is a pure function of the seed (SplitMix64, layers in the table's order; SPyNet from a stream of
/// its own, so `none` and `spynet` networks of one seed share every other weight): PyTorch's default conv init,
/// residual blocks Kaiming-normal × 0.1 with zero bias, SPyNet as described there.
public final class RealBasicVSRNet: @unchecked Sendable {
    public let configuration: TrainConfig.NetworkConfig
    /// Upscaling factor of the output (fixed by the two ×2 shuffles).
    public static let scale = 4
    /// mmagic's SPyNet needs frames of at least this many pixels a side (its 6-level pyramid).
    public static let minimumAlignedSide = 64
    /// Channels after `upsample2` (mmagic: 64; networks written before the rename: `channels`).
    public var hrChannels: Int { configuration.hrChannels }

    let cleaning: ResidualBlocksWithInputConv
    let cleaningOut: Conv2d
    let spynet: SPyNet?
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
        let c = configuration.channels, hrChannels = configuration.hrChannels
        var rng = SplitMix64(seed: seed ^ 0x5245_414C_4253_5652)  // "REALBSVR": init stream apart from data draws
        cleaning = ResidualBlocksWithInputConv(inChannels: 3, channels: c, blocks: configuration.cleaningBlocks,
                                               name: "image_cleaning.0", using: &rng)
        cleaningOut = Conv2d(inChannels: c, outChannels: 3, kernelSize: 3, name: "image_cleaning.1", using: &rng)
        if configuration.alignment == .spynet {
            var flowRNG = SplitMix64(seed: seed ^ 0x5350_594E_4554_0000)  // "SPYNET"
            spynet = SPyNet(name: "basicvsr.spynet", using: &flowRNG)
        } else {
            spynet = nil
        }
        backwardBlocks = ResidualBlocksWithInputConv(inChannels: c + 3, channels: c, blocks: configuration.propagationBlocks,
                                                     name: "basicvsr.backward_resblocks", using: &rng)
        forwardBlocks = ResidualBlocksWithInputConv(inChannels: c + 3, channels: c, blocks: configuration.propagationBlocks,
                                                    name: "basicvsr.forward_resblocks", using: &rng)
        fusion = Conv2d(inChannels: 2 * c, outChannels: c, kernelSize: 1, activation: .leakyReLU(slope: 0.1),
                        name: "basicvsr.fusion", using: &rng)
        upsample1 = PixelShufflePack(inChannels: c, outChannels: c, name: "basicvsr.upsample1", using: &rng)
        upsample2 = PixelShufflePack(inChannels: c, outChannels: hrChannels, name: "basicvsr.upsample2", using: &rng)
        convHR = Conv2d(inChannels: hrChannels, outChannels: hrChannels, kernelSize: 3, activation: .leakyReLU(slope: 0.1),
                        name: "basicvsr.conv_hr", using: &rng)
        convLast = Conv2d(inChannels: hrChannels, outChannels: 3, kernelSize: 3, name: "basicvsr.conv_last", using: &rng)
    }

    /// Every trainable tensor, in a fixed order (the table's).
    public var parameters: [Parameter] {
        cleaning.parameters + cleaningOut.parameters + (spynet?.parameters ?? []) + backwardBlocks.parameters
            + forwardBlocks.parameters + fusion.parameters + upsample1.parameters + upsample2.parameters
            + convHR.parameters + convLast.parameters
    }

    /// SPyNet's weights (trained with their own learning-rate multiplier, frozen at first); empty for `none`.
    public var flowParameters: [Parameter] { spynet?.parameters ?? [] }

    /// Tensors saved and loaded with the weights but never trained (SPyNet's mean/std).
    var buffers: [Parameter] { spynet?.buffers ?? [] }

    /// Why `lq` frames of `height × width` cannot go through this network, or nil when they can.
    public func sizeProblem(height: Int, width: Int) -> String? {
        guard spynet != nil, height < RealBasicVSRNet.minimumAlignedSide || width < RealBasicVSRNet.minimumAlignedSide else {
            return nil
        }
        return "alignment: spynet needs LQ frames of at least \(RealBasicVSRNet.minimumAlignedSide)×\(RealBasicVSRNet.minimumAlignedSide) pixels (SPyNet's 6-level pyramid, mmagic's rule), got \(width)×\(height); use larger frames or patches, or alignment: none"
    }

    /// The ×4 output `[N, T, 3, 4h, 4w]` and the cleaned input `[N, T, 3, h, w]` (for the cleaning loss) of a
    /// clip batch `lq: [N, T, 3, h, w]`. Frames share all weights; per-frame layers run on all N·T frames at once.
    /// - Precondition: `sizeProblem(height: h, width: w)` is nil (callers report it as an error first).
    public func forward(_ lq: Tensor) -> (output: Tensor, cleaned: Tensor) {
        precondition(lq.rank == 5 && lq.shape[2] == 3, "RealBasicVSRNet: input must be [N, T, 3, h, w], got \(lq.shape)")
        let (n, t, h, w) = (lq.shape[0], lq.shape[1], lq.shape[3], lq.shape[4])
        if let problem = sizeProblem(height: h, width: w) { preconditionFailure("RealBasicVSRNet: \(problem)") }
        let flat = lq.reshaped([n * t, 3, h, w])
        let cleanedFlat = flat + cleaningOut(cleaning(flat))
        let cleaned = cleanedFlat.reshaped([n, t, 3, h, w])
        let (toNext, toPrevious) = flows(cleaned)
        var inputs = [cleaned]
        if let toNext, let toPrevious { inputs += [toNext, toPrevious] }
        let aligned = inputs.count == 3
        // The two directions are independent until fusion: on ≥ 2 threads they run side by side, each conv on one
        // core, instead of splitting every small per-frame GEMM over all cores. The join is fusion's input.
        let propagated = Tensor.concurrentBranches(inputs, joinedOn: 1, [
            { [self] x in propagate(backwardBlocks, clip: x[0], flows: aligned ? x[1] : nil, reverse: true) },
            { [self] x in propagate(forwardBlocks, clip: x[0], flows: aligned ? x[2] : nil, reverse: false) },
        ])
        var y = fusion(propagated)
        y = convLast(convHR(upsample2(upsample1(y))))
        let out = y + cleanedFlat.upsampleBilinear(scale: RealBasicVSRNet.scale)
        return (out.reshaped([n, t, 3, h * 4, w * 4]), cleaned)
    }

    /// One propagation direction over a clip `[N, T, 3, h, w]`: the features `[N·T, C, h, w]` (frame order) of
    /// `blocks(concat(frame_t, warp(previous feature, flow)))`, visiting frames last to first when `reverse`
    /// (the backward branch, warping with flow t→t+1) or first to last (forward, flow t→t−1), from zero.
    func propagate(_ blocks: ResidualBlocksWithInputConv, clip: Tensor, flows: Tensor?, reverse: Bool) -> Tensor {
        let (n, t, h, w) = (clip.shape[0], clip.shape[1], clip.shape[3], clip.shape[4])
        let c = configuration.channels
        var feature = Tensor.zeros([n, c, h, w])
        var features = [Tensor](repeating: feature, count: t)
        for (step, i) in (reverse ? Array((0..<t).reversed()) : Array(0..<t)).enumerated() {
            if let flows, step > 0 { feature = feature.flowWarp(flows.select(axis: 1, index: reverse ? i : i - 1)) }
            feature = blocks(Tensor.concat([clip.select(axis: 1, index: i), feature], axis: 1))
            features[i] = feature
        }
        return Tensor.stack(features, axis: 1).reshaped([n * t, c, h, w])
    }

    /// mmagic's `compute_flow`: `[N, T−1, 2, h, w]` flows from each frame to the next (`flows_backward`) and from
    /// each next frame back to its predecessor (`flows_forward`), both directions in one SPyNet batch. Nil without
    /// alignment or for a single frame.
    func flows(_ cleaned: Tensor) -> (toNext: Tensor?, toPrevious: Tensor?) {
        let (n, t, h, w) = (cleaned.shape[0], cleaned.shape[1], cleaned.shape[3], cleaned.shape[4])
        guard let spynet, t > 1 else { return (nil, nil) }
        let current = cleaned.slice(axis: 1, range: 0..<(t - 1)).reshaped([n * (t - 1), 3, h, w])
        let next = cleaned.slice(axis: 1, range: 1..<t).reshaped([n * (t - 1), 3, h, w])
        let both = spynet(reference: Tensor.concat([current, next], axis: 0),
                          supporting: Tensor.concat([next, current], axis: 0))
        let split = both.reshaped([2, n, t - 1, 2, h, w])
        return (split.select(axis: 0, index: 0), split.select(axis: 0, index: 1))
    }

    /// Upscales one clip ×4 with the current weights (load EMA weights for evaluation), without recording
    /// gradients. Output values are clamped to [0, 1].
    /// - Throws: `OpError`-style `TrainError` when the frames differ in size or are not RGB.
    public func upscale(_ lq: [Image]) throws -> [Image] {
        guard let first = lq.first else { return [] }
        guard lq.allSatisfy({ $0.width == first.width && $0.height == first.height && $0.channels == 3 }) else {
            throw TrainError("upscale: every frame must be RGB and \(first.width)×\(first.height)")
        }
        if let problem = sizeProblem(height: first.height, width: first.width) { throw TrainError("upscale: \(problem)") }
        let input = ClipTensor.batch([lq])
        let output = GradientMode.withoutGradients { forward(input).output }
        return ClipTensor.images(output, clip: 0, clamp: true)
    }
}
