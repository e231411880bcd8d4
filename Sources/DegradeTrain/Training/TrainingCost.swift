import Foundation

/// Analytic size of one training step, for `degrade train --dry-run` and benchmarks.
///
/// FLOPs count 2 per multiply-add of every convolution (the other ops are negligible); backward ≈ 2 × forward
/// (gradients of inputs and of weights). Activation memory is the sum of every tensor the forward pass keeps for
/// backward (conv outputs, concatenations, shuffles, the bilinear skip, targets), ×2 for their gradients, ×4 bytes.
public struct TrainingCost: Sendable, Equatable {
    public var forwardFLOPs: Double
    public var backwardFLOPs: Double
    public var parameterCount: Int
    /// Activations and their gradients for one batch.
    public var activationBytes: Double
    /// Weights, gradients, Adam moments and EMA (5 copies).
    public var parameterBytes: Double
    /// Prefetched stream samples (`prefetch` × one sample's frames).
    public var prefetchBytes: Double
    public var peakBytes: Double { activationBytes + parameterBytes + prefetchBytes }
    public var stepFLOPs: Double { forwardFLOPs + backwardFLOPs }

    /// - Parameter sampleBytes: bytes of one stream sample (LQ + GT + USM GT frames), if known.
    public init(config: TrainConfig, sampleBytes: Double? = nil) {
        let c = Double(config.network.channels)
        let nc = Double(config.network.cleaningBlocks), np = Double(config.network.propagationBlocks)
        let hw = Double(config.data.patch * config.data.patch)
        let frames = Double(config.batch * config.data.frames)
        func conv(_ cin: Double, _ cout: Double, _ k: Double, _ pixels: Double) -> Double { 2 * cin * cout * k * k * pixels }
        var perFrame = conv(3, c, 3, hw) + nc * 2 * conv(c, c, 3, hw) + conv(c, 3, 3, hw)
        perFrame += 2 * (conv(c + 3, c, 3, hw) + np * 2 * conv(c, c, 3, hw))
        // mmagic's upsampling: C → C (×2), C → H (×2), conv_hr H → H, conv_last H → 3 (H = hr_channels, 64).
        let hr = Double(config.network.hrChannels)
        perFrame += conv(2 * c, c, 1, hw) + conv(c, 4 * c, 3, hw) + conv(c, 4 * hr, 3, 4 * hw)
        perFrame += conv(hr, hr, 3, 16 * hw) + conv(hr, 3, 3, 16 * hw)
        forwardFLOPs = perFrame * frames
        // SPyNet: two flows per neighbouring pair, each five 7×7 convs on a 6-level pyramid of the frame
        // (rounded up to a multiple of 32) — about 2.6 GFLOP per pair at 64×64.
        let aligned = config.network.alignment == .spynet
        let pairs = aligned ? Double(config.batch * (config.data.frames - 1) * 2) : 0
        let side = Double((config.data.patch + 31) / 32 * 32)
        let pyramid = side * side * (1 - pow(0.25, 6)) / 0.75
        let widths: [Double] = [8, 32, 64, 32, 16, 2]
        let flowConvs = (0..<5).reduce(0.0) { $0 + conv(widths[$1], widths[$1 + 1], 7, 1) }
        forwardFLOPs += pairs * flowConvs * pyramid
        backwardFLOPs = 2 * forwardFLOPs
        // Elements kept per frame, in units of LQ pixels.
        var kept = 3 + (c + nc * 3 * c) + 3 + 3 + 3                  // input, cleaning convs/blocks, residual, cleaned
        kept += 2 * ((c + 3) + c + np * 3 * c)                         // two branches: concat, input conv, blocks
        kept += 2 * c + 2 * c + c                                      // stacked branches, fusion input, fusion
        kept += 2 * 4 * c + 2 * 16 * hr + 16 * hr + 48 + 48 + 48 + 48 + 3 // shuffles, conv_hr, conv_last, skip, sum, target, clean target
        if aligned { kept += 2 * (c + 4) }                            // warped features and sample positions, both branches
        // SPyNet per pair and pyramid pixel: normalised and pooled inputs, warped frame, upsampled flow, concat,
        // the five conv outputs, the flow sum and the warp's sample positions.
        let flowKept = pairs * pyramid * (6 + 3 + 2 + 8 + 146 + 2 + 4)
        activationBytes = (kept * hw * frames + flowKept) * 4 * 2
        let net = RealBasicVSRNet(configuration: config.network, seed: 0)
        parameterCount = net.parameters.reduce(0) { $0 + $1.count }
        parameterBytes = Double(parameterCount) * 4 * 5
        let fallback = Double(config.data.frames) * hw * 3 * 4 * (1 + 2 * 16)
        prefetchBytes = Double(config.data.prefetch + config.data.workers) * (sampleBytes ?? fallback)
    }
}
