import DegradeMedia
import DegradeOps
import Dispatch
import Synchronization

/// The frames between two stretches of a plan: Float images (the GT at the start) or the exact 8-bit frames a video
/// step decoded, a quarter of the memory. Frames are taken out one at a time, and 8-bit ones are dropped as they are
/// taken, so a clip never holds two full copies of its frames.
struct FrameStore {
    private var images: [Image]
    private var packed: [Frame8?]

    init(images: [Image]) {
        self.images = images
        packed = []
    }

    init(packed: [Frame8]) {
        images = []
        self.packed = packed
    }

    var count: Int { images.isEmpty ? packed.count : images.count }

    /// Frame `t` as an image; an 8-bit frame is released.
    mutating func take(_ t: Int) -> Image {
        if !images.isEmpty { return images[t] }
        let frame = packed[t]!
        packed[t] = nil
        return frame.image
    }
}

/// What running frames through steps records: time per op (wall and thread CPU, summed over frames and threads),
/// compressed bytes per step location, codec time, and the snapshot frame after each step.
struct ExecutionLog {
    var wall: [String: Double] = [:]
    var cpu: [String: Double] = [:]
    var bytes: [String: Int] = [:]
    var codec = DegradedClip.CodecTime()
    var stages: [DegradedClip.Stage] = []

    mutating func add(_ other: ExecutionLog) {
        for (k, v) in other.wall { wall[k, default: 0] += v }
        for (k, v) in other.cpu { cpu[k, default: 0] += v }
        for (k, v) in other.bytes { bytes[k, default: 0] += v }
        stages += other.stages
    }

    /// Runs `body`, charging its wall and thread CPU time to `op`.
    mutating func time<T>(_ op: String, _ body: () throws -> T) rethrows -> T {
        let started = Self.now()
        defer { charge(op, since: started) }
        return try body()
    }

    /// Wall and thread CPU clocks, for `charge`.
    static func now() -> (wall: Double, cpu: Double) { (ThreadClock.wallSeconds(), ThreadClock.cpuSeconds()) }

    /// Charges the time since `started` to `op`.
    mutating func charge(_ op: String, since started: (wall: Double, cpu: Double)) {
        wall[op, default: 0] += ThreadClock.wallSeconds() - started.wall
        cpu[op, default: 0] += ThreadClock.cpuSeconds() - started.cpu
    }
}

/// A stretch of a plan that frames go through one at a time: per-frame steps, then optionally a video step, which
/// takes the frames in order as they come and ends the stretch.
struct Stretch: Sendable {
    var steps: [FrameStep]
    var video: PlanStep?

    /// The plan's applied steps, cut after each video step.
    static func split(_ plan: DegradationPlan) -> [Stretch] {
        var out: [Stretch] = []
        var current = Stretch(steps: [], video: nil)
        for step in plan.steps where step.applied {
            if case .video = step.op {
                current.video = step
                out.append(current)
                current = Stretch(steps: [], video: nil)
            } else {
                current.steps.append(FrameStep(step, plan: plan))
            }
        }
        if !current.steps.isEmpty || out.isEmpty { out.append(current) }
        return out
    }
}

extension Executor {
    /// Runs every frame of `input` through `stretch`. Frames go `threads` at a time (each frame's steps on one
    /// thread); a video step receives them in frame order, so its stream is the same for any thread count.
    func run(_ stretch: Stretch, input: FrameStore, snapshot: Int?, log: inout ExecutionLog) throws -> FrameStore {
        var input = input
        let count = input.count
        var session: VideoCompressionSession?
        if let step = stretch.video, case .video(let video) = step.op {
            session = try log.time("video") { try VideoCompressionSession(codec: video.codec, rate: video.rate, frameCount: count) }
        }
        var outputs: [Image] = []
        var start = 0
        if let session, threads > 1 {
            // Pipelined: the next `threads` frames run on the worker threads while this thread encodes the current
            // ones (the encoder takes frames in order, one thread at a time).
            var pending: PendingFrames? = PendingFrames.start(stretch.steps, first: 0,
                                                              frames: (0..<min(threads, count)).map { input.take($0) },
                                                              threads: threads, snapshot: snapshot)
            start = min(threads, count)
            while let current = pending {
                let results = try current.wait()
                pending = nil
                if start < count {
                    let window = start..<min(start + threads, count)
                    pending = PendingFrames.start(stretch.steps, first: start, frames: window.map { input.take($0) },
                                                  threads: threads, snapshot: snapshot)
                    start = window.upperBound
                }
                for (frame, frameLog) in results {
                    log.add(frameLog)
                    try log.time("video") { try session.push(frame) }
                }
            }
        }
        while start < count {
            let window = start..<min(start + threads, count)
            let first = start, steps = stretch.steps
            let results: [(Image, ExecutionLog)]
            if window.count == 1 {
                results = [try Self.runFrame(input.take(first), t: first, steps: steps, snapshot: snapshot == first)]
            } else {
                let frames = window.map { input.take($0) }
                results = try ParallelFrames.map(frames.count, threads: threads) { [frames] i in
                    try Self.runFrame(frames[i], t: first + i, steps: steps, snapshot: snapshot == first + i)
                }
            }
            for (frame, frameLog) in results {
                log.add(frameLog)
                if let session {
                    try log.time("video") { try session.push(frame) }
                } else {
                    outputs.append(frame)
                }
            }
            start = window.upperBound
        }
        guard let session, let video = stretch.video else { return FrameStore(images: outputs) }
        let out = try log.time("video") { try session.finish() }
        log.bytes[video.at] = out.encodedBytes
        log.codec.encode += out.encodeSeconds
        log.codec.decode += out.decodeSeconds
        log.codec.encodeCPU += out.encodeCPUSeconds
        log.codec.decodeCPU += out.decodeCPUSeconds
        if let s = snapshot, s < out.frames.count {
            log.stages.append(.init(at: video.at, op: video.name, frame: out.frames[s].image))
        }
        return FrameStore(packed: out.frames)
    }

    /// Frame `t` through `steps`, with its own log (so frames on different threads never share one).
    static func runFrame(_ frame: consuming Image, t: Int, steps: [FrameStep], snapshot: Bool) throws -> (Image, ExecutionLog) {
        var log = ExecutionLog()
        var f = consume frame
        for step in steps {
            let started = ExecutionLog.now()
            let (out, bytes) = try step.apply(consume f, t: t)
            log.charge(step.step.name, since: started)
            f = out
            if bytes > 0 { log.bytes[step.step.at, default: 0] += bytes }
            if snapshot { log.stages.append(.init(at: step.step.at, op: step.step.name, frame: f)) }
        }
        return (f, log)
    }
}

/// A window of frames running through per-frame steps on a background queue.
final class PendingFrames: Sendable {
    private let group = DispatchGroup()
    private let result = Mutex<Result<[(Image, ExecutionLog)], any Error>?>(nil)

    static func start(_ steps: [FrameStep], first: Int, frames: [Image], threads: Int, snapshot: Int?) -> PendingFrames {
        let pending = PendingFrames()
        pending.group.enter()
        DispatchQueue.global().async {
            let r = Result {
                try ParallelFrames.map(frames.count, threads: threads) { i in
                    try Executor.runFrame(frames[i], t: first + i, steps: steps, snapshot: snapshot == first + i)
                }
            }
            pending.result.withLock { $0 = r }
            pending.group.leave()
        }
        return pending
    }

    /// The window's results, in frame order.
    func wait() throws -> [(Image, ExecutionLog)] {
        group.wait()
        return try result.withLock { $0! }.get()
    }
}
