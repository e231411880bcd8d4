import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation

/// `degrade bench --audit`: the audit at scale — `--samples N` fresh plans, and `--against` a catalog of M clips.
/// The catalog is synthetic (plans from the Planner written straight into an index.sqlite through
/// RenderCatalog, no pixels), since rendering 50 000 clips would take hours; building it is timed apart.
public struct AuditBenchmark: Sendable {
    public var recipe: Recipe
    public var samples: Int
    public var clips: Int
    public var seed: UInt64

    public struct Result: Codable, Sendable {
        public var samples: Int
        public var samplesSeconds: Double
        public var clips: Int
        public var catalogSeconds: Double
        public var catalogBytes: Int
        public var againstSeconds: Double
        public var againstTests: Int
        /// Peak resident memory of the process over the whole benchmark.
        public var peakBytes: Int
    }

    public init(recipe: Recipe, samples: Int, clips: Int, seed: UInt64 = 0) {
        self.recipe = recipe
        self.samples = samples
        self.clips = clips
        self.seed = seed
    }

    /// Source clips the synthetic set was "rendered" from: REDS-sized, 100 frames, several samples each.
    static let sourceClips = 240

    public func run(in folder: String, log: (String) -> Void = { _ in }) throws -> Result {
        var start = Date()
        log("audit of \(samples) fresh plans")
        _ = try Audit(recipe: recipe, samples: samples, seed: seed).run()
        let samplesSeconds = Date().timeIntervalSince(start)

        log("writing a synthetic catalog of \(clips) clips")
        start = Date()
        let path = "\(folder)/\(RenderCatalog.fileName)"
        try buildCatalog(at: path)
        let catalogSeconds = Date().timeIntervalSince(start)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        log("audit --against the \(clips)-clip catalog (\(recipe.name), 2000 fresh plans)")
        start = Date()
        let report = try Audit(recipe: recipe, samples: 2000, seed: seed &+ 1, against: path).run()
        let againstSeconds = Date().timeIntervalSince(start)
        return Result(samples: samples, samplesSeconds: samplesSeconds, clips: clips, catalogSeconds: catalogSeconds,
                      catalogBytes: bytes, againstSeconds: againstSeconds, againstTests: report.comparison?.tests ?? 0,
                      peakBytes: ProcessResources.lifetimePeakBytes())
    }

    /// One `clips` row per sample (plans as `render` writes them, no frames), in one run of the recipe.
    func buildCatalog(at path: String) throws {
        let catalog = try RenderCatalog(path: path)
        try catalog.setRun(RenderCatalog.Run(recipe: recipe, seed: seed, source: "synthetic (bench --audit)"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let span = ((recipe.clip.frames ?? 100) - 1) * recipe.clip.frameInterval + 1
        for i in 0..<clips {
            let key = String(i % AuditBenchmark.sourceClips).leftPadded(to: 3)
            let clip = ClipInfo(key: key, frameCount: max(100, span), width: 1280, height: 720, origin: "synthetic")
            let plan = try Planner.plan(recipe: recipe, seed: seed, clip: clip, variant: i / AuditBenchmark.sourceClips)
            try catalog.record(RenderCatalog.ClipRow(key: plan.key, sourceClip: key, variant: i / AuditBenchmark.sourceClips,
                                                     plan: String(decoding: try encoder.encode(plan), as: UTF8.self)))
        }
    }
}

private extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
