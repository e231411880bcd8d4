import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation

/// `degrade audit`: statistics of what a recipe draws (parameters, from plans) and produces (images, from
/// rendered clips), optionally checked against a rendered set or compared with a second recipe.
public struct Audit: Sendable {
    public var recipe: Recipe
    /// A second recipe to compare side by side (differences are information, not failures).
    public var recipe2: Recipe?
    /// Fresh plans drawn per recipe.
    public var samples: Int
    /// Clips rendered per recipe for image statistics (needs `source`).
    public var renders: Int
    public var seed: UInt64
    /// Clean clips: plans are drawn over them (cycled) and renders read them. Without it plans use synthetic
    /// 1280×720 clip descriptions.
    public var source: (any ClipSource)?
    /// `index.sqlite` of a rendered set (or its folder) to check against `recipe`.
    public var against: String?
    /// Family-wise significance level of the comparisons.
    public var alpha: Double
    /// Clips rendered concurrently.
    public var jobs: Int
    /// Only renders k with k mod count = index − 1 (1-based), for image statistics split across machines.
    public var renderShard = RenderOptions.Shard(index: 1, count: 1)

    public init(recipe: Recipe, recipe2: Recipe? = nil, samples: Int = 2000, renders: Int = 0, seed: UInt64 = 0,
                source: (any ClipSource)? = nil, against: String? = nil, alpha: Double = 0.001, jobs: Int = 1) {
        self.recipe = recipe
        self.recipe2 = recipe2
        self.samples = samples
        self.renders = renders
        self.seed = seed
        self.source = source
        self.against = against
        self.alpha = alpha
        self.jobs = max(1, jobs)
    }

    /// Progress of the slow parts: (phase, done, total).
    public typealias Progress = @Sendable (String, Int, Int) -> Void

    public func run(progress: @escaping Progress = { _, _, _ in }) throws -> AuditReport {
        guard samples >= 1 else { throw InputError("--samples must be at least 1") }
        try Audit.checkMemory(samples: samples, recipes: recipe2 == nil ? 1 : 2)
        guard renders == 0 || source != nil else { throw InputError("--render needs clean clips: pass --input") }
        var warnings: [String] = []
        var recipeA = recipe
        var catalogInfo: AuditReport.CatalogInfo?
        var catalogPlans: CatalogPlans?

        if let against {
            let path = isDirectory(against) ? "\(against)/\(RenderCatalog.fileName)" : against
            guard FileManager.default.fileExists(atPath: path) else {
                throw InputError("\(path): no render catalog here (expected DIR/\(RenderCatalog.fileName) from `degrade render`)")
            }
            let catalog = try RenderCatalog(path: path, readOnly: true)
            guard let run = try catalog.run() else { throw InputError("\(path) records no render run") }
            let rendered = try CatalogPlans(catalog: catalog, path: path)
            guard rendered.statistics.plans > 0 else { throw InputError("\(path) lists no rendered clips") }
            catalogPlans = rendered
            // The frames the set was rendered with (the recipe's, or `render --frames`): fresh plans must match.
            let renderedFrames = Audit.renderedFrames(run.options)
            if let renderedFrames { recipeA.clip.frames = renderedFrames }
            let frames = renderedFrames != recipe.clip.frames ? renderedFrames : nil
            let matches = run.recipeHash == recipe.hash
            if !matches {
                warnings.append("RECIPE MISMATCH: \(path) was rendered from recipe `\(run.recipeName)` (hash \(run.recipeHash)), but the audit was given `\(recipe.name)` (hash \(recipe.hash)). The comparison below tests the set against a different recipe text.")
            }
            let planHashes = rendered.recipeHashes
            if planHashes.count > 1 || planHashes.first != run.recipeHash {
                warnings.append("the catalog's plans name \(planHashes.count) recipe hash(es) (\(planHashes.sorted().joined(separator: ", "))), not only the run's \(run.recipeHash): the set mixes renders")
            }
            catalogInfo = AuditReport.CatalogInfo(path: path, recipeName: run.recipeName, recipeHash: run.recipeHash,
                                                  recipeHashMatches: matches, seed: run.seed, toolVersion: run.toolVersion,
                                                  clips: rendered.statistics.plans, framesOverride: frames)
        }

        // Parameter statistics: fresh plans over the set's clips, the source's, or synthetic ones.
        func clips(for r: Recipe) throws -> [ClipInfo] {
            if let catalogPlans { return catalogPlans.clips }
            if let source { return try source.clips() }
            return AuditPlans.syntheticClips(for: r)
        }
        progress("plans", 0, samples)
        let statsA = try AuditPlans.statistics(recipe: recipeA, seed: seed, clips: try clips(for: recipeA), count: samples, keyPrefix: "audit")
        progress("plans", samples, samples)
        var statsB: ParameterStatistics?
        var labelB = ""
        var comparison: SetComparison?
        if let recipe2 {
            statsB = try AuditPlans.statistics(recipe: recipe2, seed: seed, clips: try clips(for: recipe2), count: samples, keyPrefix: "audit-b")
            labelB = recipe2.name == recipe.name ? "\(recipe2.name) (2)" : recipe2.name
            comparison = SetComparison(statsA.quantities, statsB!.quantities, labelA: recipe.name, labelB: labelB, mode: .recipes, alpha: alpha)
        } else if let catalogInfo {
            statsB = catalogPlans?.statistics
            labelB = "render \(catalogInfo.path)"
            comparison = SetComparison(statsA.quantities, statsB!.quantities, labelA: recipe.name, labelB: labelB, mode: .against, alpha: alpha)
        }
        let (qa, qb) = AuditReport.summaries(statsA.quantities, statsB?.quantities)
        var parameters = [AuditReport.ParameterSection(label: recipe.name, plans: statsA.plans, steps: AuditReport.steps(statsA), quantities: qa)]
        if let statsB {
            parameters.append(AuditReport.ParameterSection(label: labelB, plans: statsB.plans, steps: AuditReport.steps(statsB), quantities: qb))
        }

        // Image statistics of rendered clips.
        var images: [AuditReport.ImageSection] = []
        var imageComparison: SetComparison?
        let shareOfRenders = (0..<renders).filter { $0 % renderShard.count == renderShard.index - 1 }.count
        if renders > 0, shareOfRenders == 0 {
            throw InputError("shard \(renderShard) holds no render: --render \(renders) is below the \(renderShard.count) shards; raise --render to at least \(renderShard.count)")
        }
        if renders > 0, let source {
            let setA = try ImageStatistics.collect(maker: SampleMaker(recipe: recipeA, seed: seed, source: source), count: renders, jobs: jobs, shard: renderShard) {
                progress("render \(recipe.name)", $0, $1)
            }
            var setB: QuantitySet?
            if let recipe2 {
                setB = try ImageStatistics.collect(maker: SampleMaker(recipe: recipe2, seed: seed, source: source), count: renders, jobs: jobs, shard: renderShard) {
                    progress("render \(recipe2.name)", $0, $1)
                }
                imageComparison = SetComparison(setA, setB!, labelA: recipe.name, labelB: labelB, mode: .recipes, alpha: alpha)
            }
            let (ia, ib) = AuditReport.summaries(setA, setB)
            images.append(AuditReport.ImageSection(label: recipe.name, clips: shareOfRenders, quantities: ia))
            if setB != nil { images.append(AuditReport.ImageSection(label: labelB, clips: shareOfRenders, quantities: ib)) }
        }

        let failed = comparison.map { $0.mode == .against && $0.differing > 0 } ?? false
        return AuditReport(tool: "degrade \(DegradeVersion.string)", seed: seed, samples: samples, alpha: alpha,
                           recipe: .init(recipe), recipe2: recipe2.map { .init($0) }, catalog: catalogInfo,
                           parameters: parameters, images: images, comparison: comparison, imageComparison: imageComparison,
                           warnings: warnings, passed: !failed)
    }

    /// Memory the parameter statistics take per sample and recipe: measured 7.8 kB for realbasicvsr.yaml
    /// (785 MB peak RSS at 100 000 samples), rounded up for recipes with more steps.
    static let bytesPerSample = 10_000

    /// Refuses a sample count whose statistics would not fit in half the machine's memory, before drawing any.
    static func checkMemory(samples: Int, recipes: Int, physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        let needed = Double(samples) * Double(recipes) * Double(bytesPerSample)
        let available = Double(physicalMemory) / 2
        guard needed <= available else {
            let most = Int(available / Double(recipes * bytesPerSample))
            throw InputError(String(format: "--samples %d would need about %.1f GB for the statistics (%d kB per sample and recipe), more than half of this machine's %.1f GB; use at most %d",
                                    samples, needed / 1e9, bytesPerSample / 1000, Double(physicalMemory) / 1e9, most))
        }
    }

    /// The frames per sample a render recorded in its options JSON (the recipe's, or `render --frames`).
    static func renderedFrames(_ options: String) -> Int? {
        // Every version's options JSON has `frames` (a number, or null for the recipe's own).
        struct Frames: Decodable { var frames: Int? }
        return (try? JSONDecoder().decode(Frames.self, from: Data(options.utf8)))?.frames
    }
}

private func isDirectory(_ path: String) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
}
