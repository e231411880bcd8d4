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
    /// Wall time per op name (`StepKind` raw values, plus `prepare`, `unsharp` and `paired_crop`), seconds, summed
    /// over frames: elapsed time with one thread, busy time summed over threads with more.
    public var opSeconds: [String: Double]
    /// CPU time per op name, seconds, summed over frames and threads (each frame's op timed on its thread).
    var opCPUSeconds: [String: Double] = [:]
    /// Time spent in the video codec library (swscale conversion + encoder, and decoder + conversion back),
    /// summed over the clip's video steps: the part of the `video` op no code of ours can speed up.
    var codecSeconds = CodecTime()
    /// Compressed bytes per step location (JPEG summed over frames; video per clip).
    public var compressedBytes: [String: Int]

    struct CodecTime: Sendable, Equatable {
        public var encode = 0.0, decode = 0.0
        /// Thread CPU time over the same spans.
        var encodeCPU = 0.0, decodeCPU = 0.0
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
    /// Make the sharpened GT (`DegradedClip.gtUnsharp`) even when the LQ is not synthesised from it: a render that does
    /// not write `gt_unsharp/` skips the unsharp mask of `lq_from: gt`.
    public var keepsSharpenedGroundTruth = true

    public init(threads: Int = 1, snapshotFrame: Int? = nil) {
        self.threads = max(1, threads)
        self.snapshotFrame = snapshotFrame
    }

    /// `source` holds the frames listed in `plan.sourceFrames`, in that order, at `plan.sourceSize` — or already
    /// cut to `plan.sourceRegion` (what `SampleMaker.loadFrames` delivers); both give the same bytes.
    ///
    /// Frames stream through the steps: each frame goes through the per-frame steps up to the next video step, which
    /// encodes it at once; what a video step decodes is kept as 8-bit frames until the next steps take them. So a
    /// clip holds its GT, its sharpened GT, one 8-bit copy of its frames and the codec's buffers, never several
    /// Float copies of every frame.
    ///
    /// `source` is consumed: once the GT is made, frames the caller does not keep are freed.
    public func run(_ plan: DegradationPlan, source: consuming [Image]) throws -> DegradedClip {
        // A plan from a file may be anything; one that passes runs without indexing past a per-frame list.
        try plan.validate()
        guard source.count == plan.sourceFrames.count else {
            throw InputError("clip \(plan.clip): the plan needs \(plan.sourceFrames.count) source frames, got \(source.count)")
        }
        var log = ExecutionLog()
        let started = ExecutionLog.now()
        var gt = try FramePreparation.groundTruth(consume source, plan: plan)
        log.charge("prepare", since: started)
        var gtUnsharp: [Image]?
        if let usm = plan.unsharp, keepsSharpenedGroundTruth || plan.lqFromUnsharp {
            // A mirrored GT repeats its first half backwards (the same images): sharpen each distinct frame once.
            let distinct = plan.mirror ? gt.count / 2 : gt.count
            var sharpened = try ParallelFrames.map(distinct, threads: threads) { [gt] t in
                var frameLog = ExecutionLog()
                let frame = frameLog.time("unsharp") {
                    UnsharpMask.apply(gt[t], radius: usm.kernelSize, sigma: usm.sigma, weight: Float(usm.weight),
                                      threshold: Float(usm.threshold))
                }
                return (frame, frameLog)
            }.map { frame, frameLog in
                log.add(frameLog)
                return frame
            }
            if plan.mirror { sharpened += sharpened.reversed() }
            gtUnsharp = sharpened
        }
        let start = plan.lqFromUnsharp ? (gtUnsharp ?? gt) : gt
        if let s = snapshotFrame, s < start.count {
            log.stages.append(.init(at: "input", op: plan.lqFromUnsharp ? "gt_unsharp" : "gt", frame: start[s]))
        }
        var store = FrameStore(images: start)
        for stretch in Stretch.split(plan) {
            store = try run(stretch, input: store, snapshot: snapshotFrame, log: &log)
        }
        var frames = (0..<store.count).map { store.take($0) }

        if let pc = plan.pairedCrop {
            log.time("paired_crop") {
                let lqSize = pc.gtSize / pc.scale
                frames = frames.map { FramePreparation.cropped($0, x: pc.lqX, y: pc.lqY, width: lqSize, height: lqSize) }
                let crop: (Image) -> Image = { FramePreparation.cropped($0, x: pc.lqX * pc.scale, y: pc.lqY * pc.scale, width: pc.gtSize, height: pc.gtSize) }
                gt = gt.map(crop)
                gtUnsharp = gtUnsharp?.map(crop)
            }
        }
        return DegradedClip(plan: plan, gt: gt, gtUnsharp: gtUnsharp, lq: frames, stages: log.stages,
                            opSeconds: log.wall, opCPUSeconds: log.cpu, codecSeconds: log.codec, compressedBytes: log.bytes)
    }
}
