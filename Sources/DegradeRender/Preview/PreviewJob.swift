import DegradeEngine
import DegradeMedia
import Foundation
import Synchronization

/// `degrade preview`: renders a few samples of one or more recipes over a clip source and writes a
/// self-contained gallery — `index.html`, PNG pairs sheets and per-stage images of frame 0 — and
/// `previews.sqlite`, all under `out`.
///
/// Sample k of every recipe uses clip `k mod clipCount`, variant `k / clipCount`, so row k of the gallery
/// compares the recipes on the same clip. Each sample is planned with `SampleMaker.plan(clip:variant:)` and
/// executed with `Executor(threads:snapshotFrame: 0)`, which records frame 0 after every applied step.
///
/// The folder appears complete or not at all (see `StagedFolder`); an existing non-empty `out` is refused
/// unless `force`. Every file is written under `out`, at a relative path built from slugs of the recipe
/// name and sample key.
public struct PreviewJob: Sendable {
    public var recipes: [Recipe]
    public var seed: UInt64
    public var source: any ClipSource
    public var out: String
    public var samples: Int
    /// Worker threads: samples run concurrently, and each sample's per-frame work gets the threads left.
    /// The images are the same for any value.
    public var threads: Int
    public var force: Bool
    /// Folders that must survive: `force` never replaces an `out` that contains one of them.
    public var protectedPaths: [String]
    /// Only samples k with k mod count = index − 1 (1-based `--shard`), for galleries split across machines.
    public var shard = RenderOptions.Shard(index: 1, count: 1)

    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        /// `recipe key` of the sample just finished.
        public var label: String
    }

    public struct Summary: Sendable {
        /// `out/index.html`, spelled from `out` as given.
        public var indexPath: String
        public var recipes: Int
        public var samples: Int
        public var seconds: Double
        public var records: [PreviewRecord]
    }

    public init(recipes: [Recipe], seed: UInt64 = 0, source: any ClipSource, out: String, samples: Int = 4, threads: Int = 1,
                force: Bool = false, protectedPaths: [String] = []) {
        self.recipes = recipes
        self.seed = seed
        self.source = source
        self.out = out
        self.samples = samples
        self.threads = max(1, threads)
        self.force = force
        self.protectedPaths = protectedPaths
    }

    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws -> Summary {
        let started = ContinuousClock.now
        guard !recipes.isEmpty else { throw InputError("preview needs at least one recipe") }
        guard samples >= 1 && samples <= 1000 else { throw InputError("--samples must be within 1…1000, got \(samples)") }
        let clips = try source.clips()
        guard !clips.isEmpty else { throw InputError("the source (\(source.summary)) has no clips") }
        let folder = try StagedFolder(out: out, force: force, protecting: protectedPaths)
        do {
            let summary = try render(into: folder.staging, clips: clips, progress: progress, started: started)
            try folder.commit()
            return summary
        } catch {
            folder.discard()
            throw error
        }
    }

    func render(into root: String, clips: [ClipInfo], progress: @escaping @Sendable (Progress) -> Void,
                started: ContinuousClock.Instant) throws -> Summary {
        let recipeRows = recipes.enumerated().map { i, r in
            PreviewRecipe(name: r.name, description: r.description, file: r.file, hash: r.hash, text: r.source, scale: r.scale,
                          folder: "r\(i + 1)-\(PreviewSlug.make(r.name))")
        }
        struct Task: Sendable {
            var recipe: Int
            var sample: Int
            var clip: ClipInfo
            var variant: Int
        }
        let mine = (0..<samples).filter { $0 % shard.count == shard.index - 1 }
        guard !mine.isEmpty else {
            throw InputError("shard \(shard) holds no sample: --samples \(samples) is below the \(shard.count) shards; raise --samples to at least \(shard.count)")
        }
        let tasks = recipes.indices.flatMap { r in
            mine.map { k in Task(recipe: r, sample: k, clip: clips[k % clips.count], variant: k / clips.count) }
        }
        let workers = min(threads, tasks.count)
        let executor = Executor(threads: max(1, threads / workers), snapshotFrame: 0)
        let makers = recipes.map { SampleMaker(recipe: $0, seed: seed, source: source, executor: executor) }
        // Plan everything first: a recipe that does not fit the source fails at once, with the planner's own
        // message (it names the clip and the recipe), before any frame is rendered.
        let plans = try tasks.map { try makers[$0.recipe].plan(clip: $0.clip, variant: $0.variant) }

        let results = Mutex<[PreviewRecord?]>(Array(repeating: nil, count: tasks.count))
        let failure = Mutex<Error?>(nil)
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let work: @Sendable () -> Void = {
            while failure.withLock({ $0 == nil }) {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < tasks.count else { return }
                let t = tasks[i]
                let key = plans[i].key
                let folder = "\(recipeRows[t.recipe].folder)/s\(t.sample + 1)-\(PreviewSlug.make(key))"
                do {
                    let record = try PreviewSample.render(plans[i], recipeIndex: t.recipe, sample: t.sample, variant: t.variant,
                                                          maker: makers[t.recipe], root: root, folder: folder)
                    results.withLock { $0[i] = record }
                    let n = finished.add(1, ordering: .relaxed).newValue
                    progress(Progress(done: n, total: tasks.count, label: "\(recipeRows[t.recipe].name) \(key)"))
                } catch {
                    failure.withLock { if $0 == nil { $0 = RenderError(key: "\(key) (recipe \(recipeRows[t.recipe].name))", underlying: error) } }
                }
            }
        }
        if workers == 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in work() }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let records = results.withLock { $0.compactMap { $0 } }

        // Every path the page or the database names must stay inside the folder.
        for p in records {
            for path in [p.pairsPath, p.comparePath, p.stagesSheetPath] + p.stages.map(\.path) where !StagedFolder.isContained(path) {
                throw WriteError(path, "preview path escapes the output folder")
            }
        }
        let run = PreviewRun(seed: seed, toolVersion: DegradeVersion.string, created: PreviewJob.timestamp(),
                             source: source.summary, samples: samples)
        try PreviewCatalog.write(to: "\(root)/\(PreviewCatalog.fileName)", run: run, recipes: recipeRows, records: records)
        let page = GalleryPage.html(run: run, recipes: recipeRows, records: records)
        try AtomicFile.write(Array(page.utf8), to: "\(root)/\(GalleryPage.fileName)")

        let d = ContinuousClock.now - started
        let index = out.hasSuffix("/") ? out + GalleryPage.fileName : out + "/" + GalleryPage.fileName
        return Summary(indexPath: index, recipes: recipes.count, samples: records.count,
                       seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18, records: records)
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
