import DegradeEngine
import DegradeMedia
import Foundation

/// A training run, read from `recipes/train-*.yaml`: which degradation recipe it streams from, the data,
/// the network's size, losses, optimiser, schedule, checkpoints, validation and stability rules.
/// Memory is bounded by batch × frames × patch and the prefetch depth, all set here.
public struct TrainConfig: Codable, Sendable, Equatable {
    public var name: String
    /// The degradation recipe (path as written, resolved against the config's folder).
    public var recipePath: String
    public var data = DataConfig()
    public var batch = 2
    public var seed: UInt64 = 0
    /// Threads for the network's math (OpenBLAS and the tensor library's own loops).
    public var threads = 1
    public var network = NetworkConfig()
    public var loss = LossConfig()
    public var optimizer = OptimizerConfig()
    public var schedule = ScheduleConfig()
    public var iterations = 300
    public var checkpoint = CheckpointConfig()
    public var validation = ValidationConfig()
    var maxConsecutiveSkips = 5
    /// Start a fresh run from this checkpoint's EMA generator weights (stage 2 from stage 1).
    public var initFrom: String? = nil
    /// Reloads in a row that are each followed by `maxConsecutiveSkips` more non-finite steps before the run gives
    /// up (exit 1, naming the last good checkpoint) instead of halving the LR forever.
    var maxFruitlessReloads = 3
    /// The YAML text, kept so checkpoints can refuse to resume under another config.
    public var source = ""

    public struct DataConfig: Codable, Sendable, Equatable {
        /// Stream degradations on the fly from a clip source, or read a rendered set (its folder).
        public var source: ClipSourceSpec? = ClipSourceSpec(kind: .pan, path: "datasets/sample", panFrames: 30, panWidth: 480, panHeight: 270)
        public var renderedSet: String? = nil
        public var workers = 1
        public var prefetch = 2
        /// Frames per training clip (a window of the sample's frames).
        public var frames = 10
        /// LQ patch size; the GT patch is `patch × scale`.
        public var patch = 32
        /// Replace samples whose source frames cannot be read (damaged video windows) instead of stopping
        /// (`data.skip_bad_samples`, or `train --skip-bad-samples`). Nil when off, so configs without it hash as
        /// before (checkpoints of earlier runs stay resumable).
        public var skipBadSamples: Bool? = nil
    }

    public struct NetworkConfig: Codable, Sendable, Equatable {
        public var channels = 16
        public var cleaningBlocks = 2
        public var propagationBlocks = 2
        /// `spynet` warps the propagated features with SPyNet flow (RealBasicVSR/BasicVSR; LQ ≥ 64 px); `none`
        /// propagates them unwarped. The default stays `none` because the default patch (32) is below SPyNet's minimum.
        public var alignment = Alignment.none
        /// Channels after `upsample2` (`conv_hr`, `conv_last`): 64 is mmagic's hard-coded width, the only one whose
        /// shapes a mmagic RealBasicVSRNet loads; other values make small networks (and tests) cheaper.
        public var hrChannels = 64

        public init(channels: Int = 16, cleaningBlocks: Int = 2, propagationBlocks: Int = 2, alignment: Alignment = .none,
                    hrChannels: Int = 64) {
            self.channels = channels
            self.cleaningBlocks = cleaningBlocks
            self.propagationBlocks = propagationBlocks
            self.alignment = alignment
            self.hrChannels = hrChannels
        }
    }

    public struct LossConfig: Codable, Sendable, Equatable {
        /// `l1` or `charbonnier`.
        public var pixel = PixelLoss.l1
        var pixelWeight = 1.0
        /// Train against the USM-sharpened GT when the sample has one (mmedit's `is_use_sharpened_gt_in_pixel`,
        /// on in RealBasicVSR); false uses the plain GT.
        var sharpenedGT = true
        var cleanWeight = 1.0
        var perceptualWeights: String? = nil
        var perceptualWeight = 1.0
        var ganWeight = 0.0
        var discriminatorChannels = 16
    }

    public struct OptimizerConfig: Codable, Sendable, Equatable {
        public var lr = 1e-4
        public var beta1 = 0.9
        public var beta2 = 0.99
        /// Under mpirun, multiply the LR by the number of ranks (the linear scaling rule for the N× larger batch);
        /// absent (nil) = off, so configs without the key keep their fingerprint.
        public var linearLRScaling: Bool? = nil
        var gradClip: Double? = 1.0
        public var ema = 0.999
        var discriminatorLR = 1e-4
        /// SPyNet's learning rate relative to `lr` (mmagic's RealBasicVSR/BasicVSR configs: `lr_mult` 0.125).
        public var spynetLRMultiplier = 0.125
        /// SPyNet takes no updates for this many iterations (mmagic's `fix_iter`; 5000 there, with pretrained flow).
        public var spynetFrozenIterations = 0
    }

    public struct ScheduleConfig: Codable, Sendable, Equatable {
        /// `constant`, `cosine` or `step`.
        public var kind = ScheduleKind.constant
        public var warmup = 0
        var milestones: [Int] = []
        public var gamma = 0.5
        var minLR = 1e-7
    }

    public struct CheckpointConfig: Codable, Sendable, Equatable {
        public var every = 100
        public var keep = 3
    }

    public struct ValidationConfig: Codable, Sendable, Equatable {
        public var every = 100
        /// A rendered validation set (`degrade render` output).
        public var set: String? = nil
        public var cropBorder = 0
        public var maxClips = 4
        /// Also score NIQE (no-reference) of the network's outputs; off by default, it costs about as much as
        /// the PSNR/SSIM pass again.
        public var niqe = false
    }

    public init(name: String, recipePath: String) {
        self.name = name
        self.recipePath = recipePath
    }
}

/// Reads train configs with the same validation and error reporting as recipes.
public enum TrainConfigParser {
    public static func load(_ path: String, overrides: [ConfigOverride] = []) throws -> TrainConfig {
        // Bounded like a recipe: a 1 MiB cap, UTF-8 checked, `/dev/zero` or a folder refused instead of read forever.
        try parse(RecipeText.read(path), file: path, overrides: overrides)
    }

    /// `overrides` (`--set`) are applied to the YAML tree before validation; `source` is then the effective text.
    public static func parse(_ text: String, file: String, overrides: [ConfigOverride] = []) throws -> TrainConfig {
        try ConfigOverride.applying(overrides, to: text, file: file) { top, source in
            try parse(top, source: source, file: file)
        }
    }

    /// Every default comes from the config structs above: the parser only reads what the file sets.
    static func parse(_ top: ConfigNode, source text: String, file: String) throws -> TrainConfig {
        // Absolute first: standardising a cwd-relative URL with `..` would climb from the filesystem root.
        let absolute = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        let base = URL(fileURLWithPath: absolute).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardized.path }
        var c = TrainConfig(name: try top.string("name"), recipePath: resolve(try top.string("recipe")))
        _ = top.value("description")
        c.batch = try top.int("batch", default: c.batch, in: 1...256)
        c.seed = UInt64(try top.int("seed", default: Int(c.seed), in: 0...Int(Int32.max)))
        c.threads = try top.int("threads", default: c.threads, in: 1...256)
        c.iterations = try top.int("iterations", default: c.iterations, in: 1...100_000_000)
        c.maxConsecutiveSkips = try top.int("max_consecutive_skips", default: c.maxConsecutiveSkips, in: 1...1000)
        c.maxFruitlessReloads = try top.int("max_fruitless_reloads", default: c.maxFruitlessReloads, in: 1...1000)
        if let start = try top.optionalString("init_from") { c.initFrom = resolve(start) }
        if let d = try top.child("data") {
            if let s = try d.child("source") {
                let kind = try s.string("kind", default: "auto", allowed: ClipSourceSpec.Kind.allCases.map(\.rawValue))
                var spec = ClipSourceSpec(kind: ClipSourceSpec.Kind(rawValue: kind)!, path: resolve(try s.string("input")))
                spec.panFrames = try s.int("pan_frames", default: spec.panFrames, in: 1...10_000)
                if let size = try s.doubles("pan_size") {
                    guard size.count == 2, let w = TrainConfigParser.whole(size[0], in: 1...65_536),
                          let h = TrainConfigParser.whole(size[1], in: 1...65_536) else {
                        throw s.error("pan_size", "expected [width, height], whole numbers within 1…65536")
                    }
                    spec.panWidth = w; spec.panHeight = h
                }
                if let meta = try s.optionalString("meta_info") { spec.metaInfo = resolve(meta) }
                try s.finish()
                c.data.source = spec
            }
            if let set = try d.optionalString("rendered_set") {
                c.data.renderedSet = resolve(set)
                if !d.has("source") { c.data.source = nil }
            }
            c.data.workers = try d.int("workers", default: c.data.workers, in: 1...64)
            c.data.prefetch = try d.int("prefetch", default: c.data.prefetch, in: 1...256)
            c.data.frames = try d.int("frames", default: c.data.frames, in: 2...1000)
            c.data.patch = try d.int("patch", default: c.data.patch, in: 8...1024)
            c.data.skipBadSamples = try d.bool("skip_bad_samples", default: false) ? true : nil
            try d.finish()
        }
        if let n = try top.child("network") {
            c.network.channels = try n.int("channels", default: c.network.channels, in: 1...512)
            c.network.cleaningBlocks = try n.int("cleaning_blocks", default: c.network.cleaningBlocks, in: 0...64)
            c.network.propagationBlocks = try n.int("propagation_blocks", default: c.network.propagationBlocks, in: 1...64)
            c.network.hrChannels = try n.int("hr_channels", default: c.network.hrChannels, in: 1...512)
            c.network.alignment = Alignment(rawValue: try n.string("alignment", default: c.network.alignment.rawValue, allowed: Alignment.allCases.map(\.rawValue))) ?? c.network.alignment
            try n.finish()
        }
        if let l = try top.child("loss") {
            c.loss.pixel = PixelLoss(rawValue: try l.string("pixel", default: c.loss.pixel.rawValue, allowed: PixelLoss.allCases.map(\.rawValue))) ?? c.loss.pixel
            c.loss.pixelWeight = try l.double("pixel_weight", default: c.loss.pixelWeight, in: 0...1000)
            c.loss.sharpenedGT = try l.bool("sharpened_gt", default: c.loss.sharpenedGT)
            c.loss.cleanWeight = try l.double("clean_weight", default: c.loss.cleanWeight, in: 0...1000)
            if let w = try l.optionalString("perceptual_weights") { c.loss.perceptualWeights = resolve(w) }
            c.loss.perceptualWeight = try l.double("perceptual_weight", default: c.loss.perceptualWeight, in: 0...1000)
            c.loss.ganWeight = try l.double("gan_weight", default: c.loss.ganWeight, in: 0...1000)
            c.loss.discriminatorChannels = try l.int("discriminator_channels", default: c.loss.discriminatorChannels, in: 1...512)
            try l.finish()
        }
        if let o = try top.child("optimizer") {
            c.optimizer.lr = try o.double("lr", default: c.optimizer.lr, in: 0...1)
            c.optimizer.beta1 = try o.double("beta1", default: c.optimizer.beta1, in: 0...1)
            c.optimizer.beta2 = try o.double("beta2", default: c.optimizer.beta2, in: 0...1)
            c.optimizer.gradClip = try o.optionalDouble("grad_clip", in: 0...1e9)
            c.optimizer.ema = try o.double("ema", default: c.optimizer.ema, in: 0...1)
            c.optimizer.discriminatorLR = try o.double("discriminator_lr", default: c.optimizer.discriminatorLR, in: 0...1)
            c.optimizer.linearLRScaling = try o.bool("linear_lr_scaling", default: false) ? true : nil
            c.optimizer.spynetLRMultiplier = try o.double("spynet_lr_multiplier", default: c.optimizer.spynetLRMultiplier, in: 0...1000)
            c.optimizer.spynetFrozenIterations = try o.int("spynet_frozen_iterations", default: c.optimizer.spynetFrozenIterations, in: 0...100_000_000)
            try o.finish()
        }
        if let s = try top.child("schedule") {
            c.schedule.kind = ScheduleKind(rawValue: try s.string("kind", default: c.schedule.kind.rawValue, allowed: ScheduleKind.allCases.map(\.rawValue))) ?? c.schedule.kind
            c.schedule.warmup = try s.int("warmup", default: c.schedule.warmup, in: 0...100_000_000)
            c.schedule.milestones = try (try s.doubles("milestones") ?? []).map { m in
                guard let i = TrainConfigParser.whole(m, in: 0...100_000_000) else {
                    throw s.error("milestones", "expected iteration numbers (whole numbers within 0…100000000), got \(m)")
                }
                return i
            }
            c.schedule.gamma = try s.double("gamma", default: c.schedule.gamma, in: 0...1)
            c.schedule.minLR = try s.double("min_lr", default: c.schedule.minLR, in: 0...1)
            try s.finish()
        }
        if let k = try top.child("checkpoint") {
            c.checkpoint.every = try k.int("every", default: c.checkpoint.every, in: 1...100_000_000)
            c.checkpoint.keep = try k.int("keep", default: c.checkpoint.keep, in: 1...1000)
            try k.finish()
        }
        if let v = try top.child("validation") {
            c.validation.every = try v.int("every", default: c.validation.every, in: 1...100_000_000)
            if let set = try v.optionalString("set") { c.validation.set = resolve(set) }
            c.validation.cropBorder = try v.int("crop_border", default: c.validation.cropBorder, in: 0...64)
            c.validation.maxClips = try v.int("max_clips", default: c.validation.maxClips, in: 1...10_000)
            c.validation.niqe = try v.bool("niqe", default: c.validation.niqe)
            try v.finish()
        }
        try top.finish()
        guard c.data.source != nil || c.data.renderedSet != nil else {
            throw RecipeError(file: file, line: nil, key: "data", message: "needs data.source (stream) or data.rendered_set")
        }
        if c.network.alignment == .spynet, c.data.patch < RealBasicVSRNet.minimumAlignedSide {
            throw RecipeError(file: file, line: nil, key: "data.patch",
                              message: "network.alignment: spynet needs LQ patches of at least \(RealBasicVSRNet.minimumAlignedSide) pixels (SPyNet's 6-level pyramid, as mmagic's BasicVSR requires), got \(c.data.patch); raise data.patch or use alignment: none")
        }
        c.source = text
        return c
    }

    /// `value` as an Int when it is a whole number within `range` (never traps on 1e300 or NaN).
    static func whole(_ value: Double, in range: ClosedRange<Int>) -> Int? {
        guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else { return nil }
        return Int(value)
    }
}

/// `loss.pixel`: the pixel loss against the (sharpened) GT.
public enum PixelLoss: String, Codable, Sendable, CaseIterable {
    case l1, charbonnier
}

/// `network.alignment`: how the propagated features are aligned to the current frame.
public enum Alignment: String, Codable, Sendable, CaseIterable {
    case spynet, none
}

/// `schedule.kind`: how the learning rate moves after warm-up.
public enum ScheduleKind: String, Codable, Sendable, CaseIterable {
    case constant, cosine, step
}
