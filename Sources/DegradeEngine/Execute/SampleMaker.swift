import DegradeMedia

/// Plans and renders samples of one recipe over one clip source: the library entry point behind
/// `degrade apply`, previews, rendering and the training stream.
public struct SampleMaker: Sendable {
    public let recipe: Recipe
    public let seed: UInt64
    public let source: any ClipSource
    public var executor: Executor

    public init(recipe: Recipe, seed: UInt64, source: any ClipSource, executor: Executor = Executor()) {
        self.recipe = recipe
        self.seed = seed
        self.source = source
        self.executor = executor
    }

    public func plan(clip: ClipInfo, variant: Int = 0) throws -> DegradationPlan {
        try Planner.plan(recipe: recipe, seed: seed, clip: clip, variant: variant)
    }

    /// Loads the plan's source frames and executes it.
    public func make(_ plan: DegradationPlan) throws -> DegradedClip {
        try executor.run(plan, source: try sourceFrames(for: plan))
    }

    /// The plan's source frames, as `make` reads them (a render times reading and degrading apart).
    public func sourceFrames(for plan: DegradationPlan) throws -> [Image] {
        try SampleMaker.loadFrames(for: plan, from: source)
    }

    /// The plan's source frames, cut to `plan.sourceRegion` when it has one (so a cropping recipe never holds
    /// whole frames, and pan sources render only the crop).
    static func loadFrames(for plan: DegradationPlan, from source: any ClipSource) throws -> [Image] {
        guard let first = plan.sourceFrames.min(), let last = plan.sourceFrames.max() else { return [] }
        let span = try source.frames(of: plan.clip, range: first..<(last + 1), region: plan.sourceRegion)
        return plan.sourceFrames.map { span[$0 - first] }
    }
}
