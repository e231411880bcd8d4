import DegradeEngine
import DegradeMedia
import DegradeRandom
import DegradeRender
import DegradeTensor

/// One optimisation step's data: `batch` clips of `frames` frames, LQ patches and their aligned ×4 GT patches.
public struct TrainingBatch: Sendable {
    /// `[N, T, 3, p, p]`.
    public var lq: Tensor
    /// The pixel-loss target `[N, T, 3, 4p, 4p]`: the USM-sharpened GT when the sample has one (and
    /// `loss.sharpened_gt` is on), else the GT.
    public var target: Tensor
    /// The samples' keys (logged when a step is skipped).
    public var keys: [String]

    public init(lq: Tensor, target: Tensor, keys: [String]) {
        self.lq = lq
        self.target = target
        self.keys = keys
    }
}

/// Cuts a training window out of a sample: `frames` consecutive frames and a `patch × patch` LQ square with the
/// aligned `4·patch` GT square. Window start and patch position come from `RandomStream(seed, clip: key,
/// stream: "train-patch")`, so they are a pure function of the seed and the sample key.
public struct PatchSampler: Sendable {
    public var frames: Int
    public var patch: Int
    public var seed: UInt64

    public init(frames: Int, patch: Int, seed: UInt64) {
        self.frames = frames
        self.patch = patch
        self.seed = seed
    }

    /// The LQ and target windows of one sample.
    /// - Throws: `TrainError` when the sample is shorter than `frames`, smaller than the patch, or not ×4.
    public func cut(key: String, lq: [Image], gt: [Image]) throws -> (lq: [Image], target: [Image]) {
        let s = RealBasicVSRNet.scale
        guard lq.count >= frames, gt.count >= frames else {
            throw TrainError("sample \(key) has \(lq.count) LQ / \(gt.count) GT frames, the config needs data.frames = \(frames)")
        }
        let l = lq[0], g = gt[0]
        guard g.width == l.width * s, g.height == l.height * s else {
            throw TrainError("sample \(key): GT \(g.width)×\(g.height) is not ×\(s) of LQ \(l.width)×\(l.height) (the network is ×4)")
        }
        guard l.width >= patch, l.height >= patch else {
            throw TrainError("sample \(key): LQ \(l.width)×\(l.height) is smaller than data.patch = \(patch)")
        }
        var rng = RandomStream(seed: seed, clip: key, stream: "train-patch")
        let start = rng.int(in: 0...(lq.count - frames))
        let x = rng.int(in: 0...(l.width - patch)), y = rng.int(in: 0...(l.height - patch))
        let window = start..<(start + frames)
        return (lq[window].map { PatchSampler.crop($0, x: x, y: y, size: patch) },
                gt[window].map { PatchSampler.crop($0, x: x * s, y: y * s, size: patch * s) })
    }

    static func crop(_ image: Image, x: Int, y: Int, size: Int) -> Image {
        var pixels = [Float]()
        pixels.reserveCapacity(size * size * image.channels)
        image.pixels.withUnsafeBufferPointer { p in
            for c in 0..<image.channels {
                for row in y..<(y + size) {
                    let start = c * image.planeSize + row * image.width + x
                    pixels.append(contentsOf: p[start..<(start + size)])
                }
            }
        }
        return Image(width: size, height: size, channels: image.channels, pixels: pixels)
    }
}

/// Where batches come from. `cursor` counts samples consumed, so a resumed run can rebuild the source there.
public protocol BatchSource: AnyObject {
    /// Samples consumed so far.
    var cursor: Int { get }
    /// The next batch.
    func next() throws -> TrainingBatch
}

/// Batches from a `DegradationStream`: `batch` consecutive samples per step, each cut by a `PatchSampler`.
public final class StreamBatchSource: BatchSource {
    public let stream: DegradationStream
    public let sampler: PatchSampler
    public let batch: Int
    /// Whether the target is the USM-sharpened GT (when the sample has one).
    let sharpenedGT: Bool
    public private(set) var cursor: Int
    /// Told of every sample skipped for unreadable source frames (`data.skip_bad_samples`).
    let onSkip: (SkippedSample) -> Void

    /// A stream over `origin` positioned at global sample `cursor`.
    public init(origin: StreamOrigin, config: TrainConfig, cursor: Int, onSkip: @escaping (SkippedSample) -> Void = { _ in }) throws {
        stream = try DegradationStream(origin: origin, seed: config.seed, workers: config.data.workers,
                                       prefetch: config.data.prefetch, start: cursor, skipBadSamples: config.data.skipBadSamples == true)
        self.onSkip = onSkip
        sampler = PatchSampler(frames: config.data.frames, patch: config.data.patch, seed: config.seed)
        batch = config.batch
        sharpenedGT = config.loss.sharpenedGT
        self.cursor = cursor
    }

    deinit { stream.cancel() }

    public func next() throws -> TrainingBatch {
        var lqs: [[Image]] = [], targets: [[Image]] = [], keys: [String] = []
        for _ in 0..<batch {
            guard let sample = try stream.next() else { throw TrainError("the degradation stream was cancelled") }
            cursor += 1
            sample.replaced.forEach(onSkip)
            let cut = try sampler.cut(key: sample.key, lq: sample.lq, gt: sharpenedGT ? (sample.gtUnsharp ?? sample.gt) : sample.gt)
            lqs.append(cut.lq)
            targets.append(cut.target)
            keys.append(sample.key)
        }
        return TrainingBatch(lq: ClipTensor.batch(lqs), target: ClipTensor.batch(targets), keys: keys)
    }
}

extension StreamBatchSource {
    /// The config's data origin: a rendered set (`data.rendered_set`) or the recipe streamed over `data.source`.
    public static func origin(for config: TrainConfig) throws -> StreamOrigin {
        if let root = config.data.renderedSet { return .renderedSet(try RenderedSet(root: root)) }
        guard let spec = config.data.source else { throw TrainError("the train config has no data source") }
        let recipe = try RecipeParser.load(config.recipePath)
        return .render(SampleMaker(recipe: recipe, seed: config.seed, source: try spec.open()))
    }
}
