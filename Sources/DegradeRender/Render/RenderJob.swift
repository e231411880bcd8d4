import DegradeEngine
import DegradeMedia
import Foundation
import Synchronization

/// `degrade render`: writes REDS-style folders (`lq/<key>/`, and `gt/<key>/`, `gt_unsharp/<key>/` when the
/// recipe changes the GT), a BasicSR `meta_info.txt` and `index.sqlite`.
///
/// Crash-safe and resumable: each clip's frames are written into a hidden `.partial-…` folder that is renamed
/// into place, then the clip is committed to the catalog in one transaction. Killed at any moment and run
/// again, the job skips committed clips, re-renders the rest, and ends with the same bytes as a clean run.
public struct RenderJob: Sendable {
    public var recipe: Recipe
    public var seed: UInt64
    public var sourceSpec: ClipSourceSpec
    public var out: String
    public var selection: SampleSelection
    /// Clips rendered concurrently (each clip's frames run on one thread, so jobs scale across cores).
    public var jobs: Int
    public var force: Bool

    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var key: String
        public var seconds: Double
    }

    public struct Summary: Sendable {
        public var rendered: Int
        public var skipped: Int
        public var total: Int
        public var seconds: Double
    }

    public init(recipe: Recipe, seed: UInt64, sourceSpec: ClipSourceSpec, out: String, selection: SampleSelection = SampleSelection(),
                jobs: Int = 1, force: Bool = false) {
        self.recipe = recipe
        self.seed = seed
        self.sourceSpec = sourceSpec
        self.out = out
        self.selection = selection
        self.jobs = max(1, jobs)
        self.force = force
    }

    /// The options that change what is rendered; a resumed run must match them.
    var optionsJSON: String {
        let repeatCount = selection.repeatCount
        let clips = selection.clips.map { "[" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? "null"
        let frames = recipe.clip.frames.map(String.init) ?? "null"
        return "{\"clips\":\(clips),\"frames\":\(frames),\"repeat\":\(repeatCount),\"source\":\"\(sourceSpec.kind.rawValue)\",\"pan\":[\(sourceSpec.panFrames),\(sourceSpec.panWidth),\(sourceSpec.panHeight)]}"
    }

    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws -> Summary {
        let started = ContinuousClock.now
        let fm = FileManager.default
        // The source and the selection (unknown clips, keys unfit as folder names) are checked before anything
        // is written: a refused run must not leave a run record that would lock --out to its bad options.
        let source = try sourceSpec.open()
        let samples = try selection.samples(from: source.clips())
        let indexPath = "\(out)/\(RenderCatalog.fileName)"
        if force && fm.fileExists(atPath: out) { try fm.removeItem(atPath: out) }
        if fm.fileExists(atPath: out) && !fm.fileExists(atPath: indexPath) {
            let contents = (try? fm.contentsOfDirectory(atPath: out)) ?? []
            if !contents.isEmpty {
                throw InputError("\(out) exists and is not a degrade render (no \(RenderCatalog.fileName)); choose another --out or pass --force")
            }
        }
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let catalog = try RenderCatalog(path: indexPath)
        let run = RenderCatalog.Run(recipeName: recipe.name, recipeHash: recipe.hash, recipeText: recipe.source, seed: seed,
                                    toolVersion: DegradeVersion.string, source: sourceSpec.path, options: optionsJSON)
        if let existing = try catalog.run() {
            guard existing.recipeHash == run.recipeHash, existing.seed == run.seed, existing.options == run.options else {
                throw InputError("\(out) holds a render of recipe \(existing.recipeName) (hash \(existing.recipeHash)) with seed \(existing.seed) and options \(existing.options); this run has \(run.recipeName) (hash \(run.recipeHash)), seed \(seed), options \(run.options). Refusing to mix them: use another --out, or --force to start over")
            }
        } else {
            try catalog.setRun(run)
        }
        try removePartials()

        let done = try catalog.doneKeys()
        let todo = samples.filter { !done.contains($0.key) }
        let maker = SampleMaker(recipe: recipe, seed: seed, source: source, executor: Executor(threads: 1))

        let catalogLock = Mutex(())
        let failure = Mutex<Error?>(nil)
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let base = samples.count - todo.count
        nonisolated(unsafe) let unsafeCatalog = catalog  // every use is under catalogLock
        let work: @Sendable () -> Void = {
            while failure.withLock({ $0 == nil }) {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < todo.count else { return }
                let sample = todo[i]
                let t0 = ContinuousClock.now
                do {
                    let row = try self.render(sample, maker: maker)
                    try catalogLock.withLock { _ in try unsafeCatalog.record(row) }
                    let n = finished.add(1, ordering: .relaxed).newValue
                    let d = ContinuousClock.now - t0
                    progress(Progress(done: base + n, total: samples.count, key: sample.key,
                                      seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18))
                } catch {
                    failure.withLock { if $0 == nil { $0 = RenderError(key: sample.key, underlying: error) } }
                }
            }
        }
        if jobs == 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: min(jobs, max(todo.count, 1))) { _ in work() }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        try writeMetaInfo(catalog)
        let d = ContinuousClock.now - started
        return Summary(rendered: todo.count, skipped: base, total: samples.count,
                       seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }

    /// Renders one sample's frames into place and returns its catalog row (not yet committed).
    func render(_ sample: SampleSelection.Sample, maker: SampleMaker) throws -> RenderCatalog.ClipRow {
        let t0 = ContinuousClock.now
        let plan = try maker.plan(clip: sample.clip, variant: sample.variant)
        let clip = try maker.make(plan)
        var sets: [(String, [Image])] = [("lq", clip.lq)]
        if RenderJob.changesGroundTruth(plan, clipFrames: sample.clip.frameCount) { sets.append(("gt", clip.gt)) }
        if let u = clip.gtUnsharp { sets.append(("gt_unsharp", u)) }
        var frames: [RenderCatalog.FrameRow] = []
        for (kind, images) in sets {
            let dir = "\(out)/\(kind)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let staging = "\(dir)/.partial-\(sample.key)-\(getpid())"
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
            for (t, image) in images.enumerated() {
                let name = String(format: "%08d.png", t)
                let bytes = try ImageFile.encodePNG(image, path: "\(dir)/\(sample.key)/\(name)")
                try AtomicFile.write(bytes, to: "\(staging)/\(name)", durable: false)
                frames.append(.init(kind: kind, index: t, path: "\(kind)/\(sample.key)/\(name)", width: image.width, height: image.height,
                                    checksum: StableHash.checksum(bytes),
                                    params: kind == "lq" ? FrameParameters(plan: plan, frame: t).json() : "{}"))
            }
            let final = "\(dir)/\(sample.key)"
            if FileManager.default.fileExists(atPath: final) { try FileManager.default.removeItem(atPath: final) }
            try FileManager.default.moveItem(atPath: staging, toPath: final)
        }
        let d = ContinuousClock.now - t0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return RenderCatalog.ClipRow(
            key: sample.key, sourceClip: sample.clip.key, variant: sample.variant,
            plan: String(decoding: try encoder.encode(plan), as: UTF8.self),
            seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
            opSeconds: String(decoding: try encoder.encode(clip.opSeconds), as: UTF8.self),
            compressedBytes: String(decoding: try encoder.encode(clip.compressedBytes), as: UTF8.self),
            frames: frames)
    }

    /// The GT differs from the source frames whenever the recipe crops, flips, mirrors, pair-crops or picks
    /// a subset of frames; then it is written beside the LQ.
    static func changesGroundTruth(_ plan: DegradationPlan, clipFrames: Int) -> Bool {
        plan.crop != nil || plan.hflip || plan.vflip || plan.transpose || plan.mirror || plan.pairedCrop != nil
            || plan.sourceFrames != Array(0..<clipFrames)
    }

    func removePartials() throws {
        for kind in ["lq", "gt", "gt_unsharp"] {
            let dir = "\(out)/\(kind)"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".partial-") {
                try FileManager.default.removeItem(atPath: "\(dir)/\(name)")
            }
        }
    }

    func writeMetaInfo(_ catalog: RenderCatalog) throws {
        try MetaInfoWriter.write(catalog, to: "\(out)/meta_info.txt")
    }
}

/// A render failed on one sample; names it.
public struct RenderError: Error, CustomStringConvertible {
    public var key: String
    public var underlying: Error
    public var description: String { "clip \(key): \(underlying)" }
}
