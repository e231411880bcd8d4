import DegradeMedia
import DegradeOps
import Dispatch
import Synchronization

/// Measures how fast a recipe degrades clips: throughput, time per op, time inside the codec library, CPU
/// time and peak memory, for each `BenchMode`.
///
/// Structure, per case and mode: samples run in phases of `jobs` samples of one clip (as many as are in flight, like
/// `render --jobs`). A phase first makes its samples' source frames as `SampleMaker.loadFrames` would deliver them
/// (only the crop window when the recipe crops), untimed and reported apart as input cost; then the samples'
/// `repeats` run — `jobs` at a time, each on `threadsPerClip` threads — and only that is timed. The first phase of
/// each mode first runs `warmup` untimed samples (FFTW plans, codec tables, allocator). Peak RSS is taken over
/// the timed phases (the peak is reset once a phase's inputs are made), so it covers the degradation with its
/// inputs resident, not the photo decoding.
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

        // Input cost, measured once per clip.
        var decode = BenchCaseResult.Timing(), pan = BenchCaseResult.Timing()
        var renders = 0, bytes = 0
        for (c, clip) in clips.enumerated() {
            let inputs = try loadInputs(clip, plans: plans[c])
            decode.wallMs += inputs.decode.wallMs
            decode.cpuMs += inputs.decode.cpuMs
            pan.wallMs += inputs.render.wallMs
            pan.cpuMs += inputs.render.cpuMs
            renders += inputs.renders
            bytes = max(bytes, inputs.bytesPerSample)
        }
        let n = Double(clips.count), r = Double(max(renders, 1))
        result.photoDecode = .init(wallMs: decode.wallMs / n, cpuMs: decode.cpuMs / n)
        result.panGeneration = .init(wallMs: pan.wallMs / r, cpuMs: pan.cpuMs / r)
        result.sourceBytesPerSample = bytes
        result.processPeakRSSBytes = ProcessResources.lifetimePeakBytes()

        for mode in modes {
            log("case \(benchCase.rawValue): \(mode.label)…")
            result.modes.append(try run(mode, clips: clips, plans: plans, variants: variants))
        }
        result.processPeakRSSBytes = ProcessResources.lifetimePeakBytes()
        return result
    }

    // MARK: - Input

    /// Each plan's source frames as `SampleMaker.loadFrames` delivers them (frames sharing a region are made once
    /// and shared), with the cost of decoding the clip's photo and of rendering the frames when the source is a
    /// `PanSource` (otherwise all of the loading counts as decoding).
    struct Inputs {
        var frames: [[Image]]
        var decode = BenchCaseResult.Timing(), render = BenchCaseResult.Timing()
        var renders = 0
        var bytesPerSample = 0
    }

    func loadInputs(_ clip: ClipInfo, plans: [DegradationPlan]) throws -> Inputs {
        var byRegion: [PixelRegion?: [Image]] = [:]
        var inputs = Inputs(frames: [])
        var photo: Image?
        if let pans = source as? PanSource {
            let still = String(clip.key.dropLast(PanSource.keySuffix.count))
            let (image, t) = try timed { try pans.stills.photo(still).image }
            photo = image
            inputs.decode = t
        }
        for plan in plans {
            let region = plan.sourceRegion
            if byRegion[region] == nil {
                let first = plan.sourceFrames.min() ?? 0, last = plan.sourceFrames.max() ?? 0
                if let pans = source as? PanSource, let photo {
                    let (frames, t) = try timed { pans.move(for: clip.key).render(photo, range: first..<(last + 1), region: region) }
                    inputs.render.wallMs += t.wallMs
                    inputs.render.cpuMs += t.cpuMs
                    byRegion[region] = frames
                } else {
                    let (frames, t) = try timed { try source.frames(of: clip.key, range: first..<(last + 1), region: region) }
                    inputs.decode.wallMs += t.wallMs
                    inputs.decode.cpuMs += t.cpuMs
                    byRegion[region] = frames
                }
                inputs.renders += 1
            }
            let first = plan.sourceFrames.min() ?? 0
            let frames = plan.sourceFrames.map { byRegion[region]![$0 - first] }
            inputs.bytesPerSample = max(inputs.bytesPerSample, frames.reduce(0) { $0 + $1.pixels.count * 4 })
            inputs.frames.append(frames)
        }
        return inputs
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
        var records: [Record] = []
        var phaseWall = 0.0
        var peak = 0, startRSS = 0
        var peakWasReset = true
        var warmed = warmup == 0
        for (c, clip) in clips.enumerated() {
            // One phase per group of `jobs` samples: their inputs are made, then their repeats run.
            for groupStart in Swift.stride(from: 0, to: variants, by: mode.jobs) {
                let group = Array(groupStart..<min(groupStart + mode.jobs, variants))
                var inputs: Inputs? = try loadInputs(clip, plans: group.map { plans[c][$0] })
                let groupPlans = group.map { plans[c][$0] }
                ProcessResources.trimHeap()
                peakWasReset = ProcessResources.resetPeak() && peakWasReset
                if !warmed {
                    startRSS = ProcessResources.currentBytes() ?? 0
                    _ = try runPhase((0..<warmup).map { (variant: $0 % group.count, repeatIndex: -1) }, clip: c,
                                     inputs: inputs!.frames, plans: groupPlans, executor: executor, jobs: mode.jobs)
                    warmed = true
                }
                let tasks = (0..<repeats).flatMap { r in group.indices.map { (variant: $0, repeatIndex: r) } }
                let w0 = ThreadClock.wallSeconds()
                var done = try runPhase(tasks, clip: c, inputs: inputs!.frames, plans: groupPlans, executor: executor,
                                        jobs: mode.jobs)
                phaseWall += ThreadClock.wallSeconds() - w0
                peak = max(peak, ProcessResources.peakBytes())
                for i in done.indices { done[i].variant = group[done[i].variant] }
                records += done
                inputs = nil
            }
        }
        return summarise(records, mode: mode, wall: phaseWall, peak: peak, startRSS: startRSS, peakWasReset: peakWasReset)
    }

    /// Runs `tasks` on `jobs` workers pulling from one queue; returns their records in task order.
    func runPhase(_ tasks: [(variant: Int, repeatIndex: Int)], clip: Int, inputs: [[Image]], plans: [DegradationPlan],
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
                    let input = inputs[task.variant]
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
