import DegradeMedia
import DegradeOps
import Dispatch
import Synchronization

/// Measures how fast a recipe degrades clips: throughput, time per op, time inside the codec library, CPU
/// time and peak memory, for each `BenchMode`.
///
/// Structure, per case and mode: samples run in phases of `jobs` samples of one clip (as many as are in flight, like
/// `render --jobs`), each sample `repeats` times, `jobs` at a time, each on `threadsPerClip` threads. Before every
/// run its source frames are made as `SampleMaker.loadFrames` delivers them (only the crop window when the recipe
/// crops) and handed over to the executor, as render does; making them is untimed (reported apart as input cost),
/// only `Executor.run` is timed. The first phase of each mode first runs `warmup` untimed samples (FFTW plans,
/// codec tables, allocator). Peak RSS is taken over the phases (reset at the start of each), so it covers the
/// degradation and the making of its inputs, as a render's would.
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
            warmup: warmup, seed: seed, photoDecode: .init(), panGeneration: .init(), sourceBytesPerSample: 0,
            processPeakRSSBytes: 0, modes: [])

        // Input cost, measured once per clip: its photo decoded, the first sample's frames made.
        var decode = BenchCaseResult.Timing(), pan = BenchCaseResult.Timing()
        var bytes = 0
        for (c, clip) in clips.enumerated() {
            let cost = try BenchInputs(source: source, clip: clip).measure(plans[c][0])
            decode.wallMs += cost.decode.wallMs / Double(clips.count)
            decode.cpuMs += cost.decode.cpuMs / Double(clips.count)
            pan.wallMs += cost.render.wallMs / Double(clips.count)
            pan.cpuMs += cost.render.cpuMs / Double(clips.count)
            bytes = max(bytes, cost.bytes)
        }
        result.photoDecode = decode
        result.panGeneration = pan
        result.sourceBytesPerSample = bytes
        result.processPeakRSSBytes = ProcessResources.lifetimePeakBytes()

        for mode in modes {
            log("case \(benchCase.rawValue): \(mode.label)…")
            result.modes.append(try run(mode, clips: clips, plans: plans, variants: variants))
        }
        result.processPeakRSSBytes = ProcessResources.lifetimePeakBytes()
        return result
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
        var records: [Record] = []
        var phaseWall = 0.0
        var peak = 0, startRSS = 0
        var peakWasReset = true
        var warmed = warmup == 0
        for (c, clip) in clips.enumerated() {
            let inputs = BenchInputs(source: source, clip: clip)
            for groupStart in Swift.stride(from: 0, to: variants, by: mode.jobs) {
                let group = Array(groupStart..<min(groupStart + mode.jobs, variants))
                ProcessResources.trimHeap()
                peakWasReset = ProcessResources.resetPeak() && peakWasReset
                if !warmed {
                    startRSS = ProcessResources.currentBytes() ?? 0
                    _ = try runPhase((0..<warmup).map { (variant: variants + $0, repeatIndex: -1) }, clip: c,
                                     inputs: inputs, plans: plans[c], executor: executor, jobs: mode.jobs)
                    warmed = true
                }
                let tasks = (0..<repeats).flatMap { r in group.map { (variant: $0, repeatIndex: r) } }
                let w0 = ThreadClock.wallSeconds()
                records += try runPhase(tasks, clip: c, inputs: inputs, plans: plans[c], executor: executor, jobs: mode.jobs)
                phaseWall += ThreadClock.wallSeconds() - w0
                peak = max(peak, ProcessResources.peakBytes())
            }
        }
        return summarise(records, mode: mode, wall: phaseWall, peak: peak, startRSS: startRSS, peakWasReset: peakWasReset)
    }

    /// Runs `tasks` on `jobs` workers pulling from one queue; returns their records in task order.
    func runPhase(_ tasks: [(variant: Int, repeatIndex: Int)], clip: Int, inputs: BenchInputs, plans: [DegradationPlan],
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
                    let (frames, _) = try inputs.frames(for: plan)
                    let cpu0 = processCPU ? ProcessResources.cpuSeconds() : ThreadClock.cpuSeconds()
                    let wall0 = ThreadClock.wallSeconds()
                    let out = try executor.run(plan, source: consume frames)
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
}
