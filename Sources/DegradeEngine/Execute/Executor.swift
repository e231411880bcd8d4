import DegradeMedia
import DegradeOps
import DegradeRandom
import Foundation

/// What executing a plan produces.
public struct DegradedClip: Sendable {
    public var plan: DegradationPlan
    /// Ground truth after crop/flips/mirroring (and the paired crop, when the recipe has one).
    public var gt: [Image]
    /// The unsharp-masked ground truth, when the recipe sharpens.
    public var gtUnsharp: [Image]?
    public var lq: [Image]
    /// Intermediate frames after each applied step, for `snapshotFrame` (previews).
    public var stages: [Stage]
    /// Wall time per op name, seconds.
    public var opSeconds: [String: Double]
    /// CPU time of the thread that ran `Executor.run`, per op name, seconds: the op's whole CPU cost when the
    /// executor runs with `threads == 1`; with more threads, the work done on other threads is not counted.
    public var opCPUSeconds: [String: Double] = [:]
    /// Time spent in the video codec library (swscale conversion + encoder, and decoder + conversion back),
    /// summed over the clip's video steps: the part of the `video` op no code of ours can speed up.
    public var codecSeconds = CodecTime()
    /// Compressed bytes per step location (JPEG summed over frames; video per clip).
    public var compressedBytes: [String: Int]

    public struct CodecTime: Sendable, Equatable {
        public var encode = 0.0, decode = 0.0
        /// Thread CPU time over the same spans.
        public var encodeCPU = 0.0, decodeCPU = 0.0
        public init() {}
    }

    public struct Stage: Sendable {
        public var at: String
        public var op: String
        public var frame: Image
    }
}

/// `execute(plan, frames) → degraded frames`: a pure function. The same plan on the same frames gives the
/// same bytes whatever `threads` is: per-frame work is independent and noise comes from keyed streams.
public struct Executor: Sendable {
    public var threads: Int
    /// Record this frame after every applied step (nil: record nothing).
    public var snapshotFrame: Int?

    public init(threads: Int = 1, snapshotFrame: Int? = nil) {
        self.threads = max(1, threads)
        self.snapshotFrame = snapshotFrame
    }

    /// `source` holds the frames listed in `plan.sourceFrames`, in that order, at `plan.sourceSize` — or already
    /// cut to `plan.sourceRegion` (what `SampleMaker.loadFrames` delivers); both give the same bytes.
    public func run(_ plan: DegradationPlan, source: [Image]) throws -> DegradedClip {
        guard source.count == plan.sourceFrames.count else {
            throw InputError("clip \(plan.clip): the plan needs \(plan.sourceFrames.count) source frames, got \(source.count)")
        }
        var seconds: [String: Double] = [:]
        var cpuSeconds: [String: Double] = [:]
        var bytes: [String: Int] = [:]
        var codec = DegradedClip.CodecTime()
        var stages: [DegradedClip.Stage] = []

        var clock = (wall: ThreadClock.wallSeconds(), cpu: ThreadClock.cpuSeconds())
        func lap(_ name: String) {
            let now = (wall: ThreadClock.wallSeconds(), cpu: ThreadClock.cpuSeconds())
            seconds[name, default: 0] += now.wall - clock.wall
            cpuSeconds[name, default: 0] += now.cpu - clock.cpu
            clock = now
        }

        var gt = try FramePreparation.groundTruth(source, plan: plan)
        lap("prepare")
        var gtUnsharp: [Image]?
        if let usm = plan.unsharp {
            // A mirrored GT repeats its first half backwards (the same images): sharpen each distinct frame once.
            let distinct = plan.mirror ? gt.count / 2 : gt.count
            var sharpened = try ParallelFrames.map(distinct, threads: threads) { [gt] t in
                UnsharpMask.apply(gt[t], radius: usm.kernelSize, sigma: usm.sigma, weight: Float(usm.weight), threshold: Float(usm.threshold))
            }
            if plan.mirror { sharpened += sharpened.reversed() }
            gtUnsharp = sharpened
            lap("unsharp")
        }
        var frames = plan.lqFromUnsharp ? (gtUnsharp ?? gt) : gt
        if let s = snapshotFrame, s < frames.count {
            stages.append(.init(at: "input", op: plan.lqFromUnsharp ? "gt_unsharp" : "gt", frame: frames[s]))
        }

        for step in plan.steps where step.applied {
            frames = try apply(step, to: frames, plan: plan, bytes: &bytes, codec: &codec)
            lap(step.op)
            if let s = snapshotFrame, s < frames.count { stages.append(.init(at: step.at, op: step.op, frame: frames[s])) }
        }

        if let pc = plan.pairedCrop {
            let lqSize = pc.gtSize / pc.scale
            frames = frames.map { FramePreparation.cropped($0, x: pc.lqX, y: pc.lqY, width: lqSize, height: lqSize) }
            let crop: (Image) -> Image = { FramePreparation.cropped($0, x: pc.lqX * pc.scale, y: pc.lqY * pc.scale, width: pc.gtSize, height: pc.gtSize) }
            gt = gt.map(crop)
            gtUnsharp = gtUnsharp?.map(crop)
            lap("paired_crop")
        }
        return DegradedClip(plan: plan, gt: gt, gtUnsharp: gtUnsharp, lq: frames, stages: stages,
                            opSeconds: seconds, opCPUSeconds: cpuSeconds, codecSeconds: codec, compressedBytes: bytes)
    }

    func apply(_ step: PlanStep, to frames: [Image], plan: DegradationPlan, bytes: inout [String: Int],
               codec: inout DegradedClip.CodecTime) throws -> [Image] {
        let threads = self.threads
        let key = RandomKey(seed: plan.seed, clip: plan.key, stream: "exec:\(step.at)")
        switch step.op {
        case "blur":
            guard let blur = step.blur else { return frames }
            return try ParallelFrames.map(frames.count, threads: threads) { t in
                var kernel = try BlurKernel(shape: blur.shape(frame: t), size: blur.size, padTo: blur.padTo)
                if let range = blur.kernelNoise {
                    var rng = RandomStream(key: key, substream: UInt64(t))
                    kernel = kernel.multipliedByNoise((0..<kernel.weights.count).map { _ in Float(rng.uniform(range.lowerBound, range.upperBound)) })
                }
                return Convolution.apply(kernel, to: frames[t])
            }
        case "resize":
            guard let resize = step.resize else { return frames }
            return try ParallelFrames.map(frames.count, threads: threads) { t in
                try Resize.apply(frames[t], width: resize.sizes[t].width, height: resize.sizes[t].height, interpolation: resize.interpolation)
            }
        case "noise":
            guard let noise = step.noise else { return frames }
            return try ParallelFrames.map(frames.count, threads: threads) { t in
                var f = frames[t]
                switch noise.type {
                case .gaussian:
                    try GaussianNoise.apply(&f, sigma: Float(noise.sigmas![t] / 255), gray: noise.gray, key: key, substream: UInt64(t))
                case .poisson:
                    try PoissonNoise.apply(&f, scale: Float(noise.scales![t]), gray: noise.gray, key: key, substream: UInt64(t))
                case .correlated:
                    try CorrelatedGaussianNoise.apply(&f, covariance: noise.covariance!, key: key, substream: UInt64(t))
                }
                if noise.clip { Executor.clamp(&f) }
                return f
            }
        case "jpeg":
            guard let jpeg = step.jpeg else { return frames }
            let results = try ParallelFrames.map(frames.count, threads: threads) { t in
                try JPEGCompression.applyMeasured(frames[t], quality: jpeg.qualities[t], swapRB: jpeg.swapRB)
            }
            bytes[step.at] = results.reduce(0) { $0 + $1.bytes }
            return results.map(\.0)
        case "video":
            guard let video = step.video else { return frames }
            let result = try VideoCompression.apply(frames, codec: video.codec, rate: video.rate)
            bytes[step.at] = result.encodedBytes
            codec.encode += result.encodeSeconds
            codec.decode += result.decodeSeconds
            codec.encodeCPU += result.encodeCPUSeconds
            codec.decodeCPU += result.decodeCPUSeconds
            return result.frames
        case "quantize":
            return frames.map { f in
                var g = f
                g.pixels.withUnsafeMutableBufferPointer { p in
                    // `Float(q) / 255` equals `Image.unitLevels[q]` and vectorises.
                    for i in 0..<p.count { p[i] = Float(Image.quantize8(p[i])) / 255 }
                }
                return g
            }
        case "clip":
            return frames.map { f in
                var g = f
                Executor.clamp(&g)
                return g
            }
        default:
            throw InputError("plan step \(step.at): unknown op `\(step.op)`")
        }
    }

    static func clamp(_ image: inout Image) {
        image.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = min(max(p[i], 0), 1) }
        }
    }
}
