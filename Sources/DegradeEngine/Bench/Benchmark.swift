import DegradeMedia
import DegradeOps
import Dispatch
import Synchronization

/// Measures how fast a recipe degrades clips: throughput, time per op, time inside the codec library, CPU
/// time and peak memory, for each `BenchMode`.
///
/// Structure, per case and mode: for each clip, its source frames are generated first (untimed; measured
/// separately as input cost), then `variants × repeats` samples of it run — `jobs` at a time, each sample on
/// `threadsPerClip` threads — and only that phase is timed. The first clip of each mode first runs `warmup`
/// untimed samples (FFTW plans, codec tables, allocator). A clip's frames are dropped before the next clip's
/// are generated, so a mode's peak memory holds one clip's source frames plus what the samples in flight use.
public struct Benchmark: Sendable {
    public var recipe: Recipe
    public var source: any ClipSource
    public var seed: UInt64
    public var repeats: Int
    public var warmup: Int
    /// Use only the first `clipLimit` clips of the source (nil: all).
    public var clipLimit: Int?
    /// Progress messages.
    public var log: @Sendable (String) -> Void

    public init(recipe: Recipe, source: any ClipSource, seed: UInt64 = 0, repeats: Int = 3, warmup: Int = 1,
                clipLimit: Int? = nil, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.recipe = recipe
        self.source = source
        self.seed = seed
        self.repeats = max(1, repeats)
        self.warmup = max(0, warmup)
        self.clipLimit = clipLimit
        self.log = log
    }

    public func run(_ benchCase: BenchCase, modes: [BenchMode], variants: Int? = nil) throws -> BenchCaseResult {
        let recipe = benchCase.recipe(from: self.recipe)
        let variants = max(1, variants ?? benchCase.defaultVariants)
        var clips = try source.clips()
        if let clipLimit { clips = Array(clips.prefix(max(1, clipLimit))) }
        let plans = try clips.map { clip in
            try (0..<(variants + warmup)).map { try Planner.plan(recipe: recipe, seed: seed, clip: clip, variant: $0) }
        }
        let first = plans[0][0]

        var result = BenchCaseResult(
            benchCase: benchCase, summary: benchCase.summary, recipe: recipe.name, recipeHash: recipe.hash,
            gtSize: "\(first.gtSize.width)×\(first.gtSize.height)",
            lqSize: first.lqSizes.first.map { "\($0.width)×\($0.height)" } ?? "-",
            framesPerClip: first.frameCount, clips: clips.count, variantsPerClip: variants, repeats: repeats,
            warmup: warmup, seed: seed, photoDecode: .init(), panGeneration: .init(), sourceBytesPerClip: 0, modes: [])

        // Input cost, measured once per clip.
        var loads: [(decode: BenchCaseResult.Timing, pan: BenchCaseResult.Timing, bytes: Int)] = []
        for clip in clips {
            loads.append(try measureLoad(clip))
        }
        let n = Double(loads.count)
        result.photoDecode = .init(wallMs: loads.map(\.decode.wallMs).reduce(0, +) / n,
                                   cpuMs: loads.map(\.decode.cpuMs).reduce(0, +) / n)
        result.panGeneration = .init(wallMs: loads.map(\.pan.wallMs).reduce(0, +) / n,
                                     cpuMs: loads.map(\.pan.cpuMs).reduce(0, +) / n)
        result.sourceBytesPerClip = loads.map(\.bytes).max() ?? 0

        for mode in modes {
            log("case \(benchCase.rawValue): \(mode.label)…")
            result.modes.append(try run(mode, clips: clips, plans: plans, variants: variants))
        }
        return result
    }

    // MARK: - Input

    /// Generates a clip's frames once, timing the photo decode and the pan rendering apart when the source is a
    /// `PanSource`.
    func measureLoad(_ clip: ClipInfo) throws -> (decode: BenchCaseResult.Timing, pan: BenchCaseResult.Timing, bytes: Int) {
        if let pans = source as? PanSource {
            let still = String(clip.key.dropLast(PanSource.keySuffix.count))
            let (photo, decode) = try timed { try pans.stills.photo(still).image }
            let (frames, pan) = try timed { pans.move(for: clip.key).render(photo) }
            return (decode, pan, frames.reduce(0) { $0 + $1.pixels.count * 4 })
        }
        let (frames, load) = try timed { try source.frames(of: clip.key) }
        return (load, .init(), frames.reduce(0) { $0 + $1.pixels.count * 4 })
    }

    func timed<T>(_ body: () throws -> T) throws -> (T, BenchCaseResult.Timing) {
        let w0 = ThreadClock.wallSeconds(), c0 = ThreadClock.cpuSeconds()
        let value = try body()
        return (value, .init(wallMs: (ThreadClock.wallSeconds() - w0) * 1000, cpuMs: (ThreadClock.cpuSeconds() - c0) * 1000))
    }

    // MARK: - Timed phases

    /// One timed sample.
    struct Record: Sendable {
        var clip: Int, variant: Int, repeatIndex: Int
        var wall: Double, cpu: Double
        var opWall: [String: Double], opCPU: [String: Double]
        var codec: DegradedClip.CodecTime
        var lqFrames: Int
        var digest: UInt64
    }

    func run(_ mode: BenchMode, clips: [ClipInfo], plans: [[DegradationPlan]], variants: Int) throws -> BenchModeResult {
        let executor = Executor(threads: mode.threadsPerClip)
        ProcessResources.trimHeap()
        let peakWasReset = ProcessResources.resetPeak()
        let startRSS = ProcessResources.currentBytes() ?? 0
        var records: [Record] = []
        var phaseWall = 0.0
        for (c, clip) in clips.enumerated() {
            var frames: [Image]? = try source.frames(of: clip.key)
            if c == 0 && warmup > 0 {
                _ = try runPhase((0..<warmup).map { (variant: variants + $0, repeatIndex: -1) }, clip: c,
                                 frames: frames!, plans: plans[c], executor: executor, jobs: mode.jobs)
            }
            let tasks = (0..<repeats).flatMap { r in (0..<variants).map { (variant: $0, repeatIndex: r) } }
            let w0 = ThreadClock.wallSeconds()
            records += try runPhase(tasks, clip: c, frames: frames!, plans: plans[c], executor: executor, jobs: mode.jobs)
            phaseWall += ThreadClock.wallSeconds() - w0
            frames = nil
        }
        let peak = ProcessResources.peakBytes()
        return summarise(records, mode: mode, wall: phaseWall, peak: peak, startRSS: startRSS, peakWasReset: peakWasReset)
    }

    /// Runs `tasks` on `jobs` workers pulling from one queue; returns their records in task order.
    func runPhase(_ tasks: [(variant: Int, repeatIndex: Int)], clip: Int, frames: [Image], plans: [DegradationPlan],
                  executor: Executor, jobs: Int) throws -> [Record] {
        let records = Mutex<[Record?]>(Array(repeating: nil, count: tasks.count))
        let failure = Mutex<Error?>(nil)
        let next = Atomic<Int>(0)
        let processCPU = executor.threads > 1
        let work: @Sendable () -> Void = {
            while failure.withLock({ $0 == nil }) {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < tasks.count else { return }
                let task = tasks[i]
                let plan = plans[task.variant]
                do {
                    let input = plan.sourceFrames.map { frames[$0] }
                    let cpu0 = processCPU ? ProcessResources.cpuSeconds() : ThreadClock.cpuSeconds()
                    let wall0 = ThreadClock.wallSeconds()
                    let out = try executor.run(plan, source: input)
                    let wall = ThreadClock.wallSeconds() - wall0
                    let cpu = (processCPU ? ProcessResources.cpuSeconds() : ThreadClock.cpuSeconds()) - cpu0
                    let record = Record(clip: clip, variant: task.variant, repeatIndex: task.repeatIndex, wall: wall, cpu: cpu,
                                        opWall: out.opSeconds, opCPU: out.opCPUSeconds, codec: out.codecSeconds,
                                        lqFrames: out.lq.count, digest: task.repeatIndex == 0 ? Benchmark.digest(out.lq) : 0)
                    records.withLock { $0[i] = record }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if jobs <= 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: min(jobs, tasks.count)) { _ in work() }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return records.withLock { $0.map { $0! } }
    }

    func summarise(_ records: [Record], mode: BenchMode, wall: Double, peak: Int, startRSS: Int, peakWasReset: Bool)
        -> BenchModeResult
    {
        let n = Double(max(records.count, 1))
        let frames = records.reduce(0) { $0 + $1.lqFrames }
        var ops: [String: BenchCaseResult.Timing] = [:]
        for r in records {
            for (op, s) in r.opWall { ops[op, default: .init()].wallMs += s * 1000 / n }
            for (op, s) in r.opCPU { ops[op, default: .init()].cpuMs += s * 1000 / n }
        }
        let perRepeat = (0..<repeats).map { rep -> Double in
            let rs = records.filter { $0.repeatIndex == rep }
            let sum = rs.reduce(0) { $0 + $1.wall }
            return sum > 0 ? Double(mode.jobs * rs.count) / sum : 0
        }
        let cpu = records.reduce(0) { $0 + $1.cpu } / n
        // Repeat 0's digests in (clip, variant) order.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for r in records.filter({ $0.repeatIndex == 0 }).sorted(by: { ($0.clip, $0.variant) < ($1.clip, $1.variant) }) {
            h = StableHash.mix(h ^ r.digest)
        }
        return BenchModeResult(
            mode: mode, label: mode.label, samples: records.count, wallSeconds: wall,
            clipsPerSecond: wall > 0 ? Double(records.count) / wall : 0,
            lqFramesPerSecond: wall > 0 ? Double(frames) / wall : 0,
            repeatClipsPerSecond: perRepeat,
            wallMsPerClip: records.reduce(0) { $0 + $1.wall } * 1000 / n,
            cpuMsPerClip: cpu * 1000, clipsPerCPUSecond: cpu > 0 ? 1 / cpu : 0,
            ops: ops,
            codecEncode: .init(wallMs: records.reduce(0) { $0 + $1.codec.encode } * 1000 / n,
                               cpuMs: records.reduce(0) { $0 + $1.codec.encodeCPU } * 1000 / n),
            codecDecode: .init(wallMs: records.reduce(0) { $0 + $1.codec.decode } * 1000 / n,
                               cpuMs: records.reduce(0) { $0 + $1.codec.decodeCPU } * 1000 / n),
            peakRSSBytes: peak, startRSSBytes: startRSS, peakWasReset: peakWasReset,
            outputDigest: String(h, radix: 16).leftPadded(to: 16))
    }

    /// A hash of the frames' exact Float bits and sizes.
    static func digest(_ frames: [Image]) -> UInt64 {
        var h: UInt64 = 0x6a09_e667_f3bc_c908
        for f in frames {
            h = StableHash.mix(h ^ UInt64(f.width << 32 | f.height << 8 | f.channels))
            f.pixels.withUnsafeBufferPointer { p in
                var i = 0
                while i + 1 < p.count {
                    let word = UInt64(p[i].bitPattern) << 32 | UInt64(p[i + 1].bitPattern)
                    h = (h ^ word) &* 0x0000_0100_0000_01b3
                    i += 2
                }
                if i < p.count { h = (h ^ UInt64(p[i].bitPattern)) &* 0x0000_0100_0000_01b3 }
            }
            h = StableHash.mix(h)
        }
        return h
    }
}
