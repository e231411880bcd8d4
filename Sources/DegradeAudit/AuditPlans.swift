import DegradeEngine
import DegradeMedia

/// Draws the plans a parameter audit looks at. Plans are keyed `<prefix>-<i>` (not by clip key), so an audit
/// never re-draws the exact samples of a render made with the same seed: its plans are fresh draws.
enum AuditPlans {
    /// Stand-in clip descriptions when no source is given: 1280×720 (REDS size), 100 frames or as many as
    /// the recipe's frame span needs.
    static func syntheticClips(for recipe: Recipe) -> [ClipInfo] {
        let span = ((recipe.clip.frames ?? 100) - 1) * recipe.clip.frameInterval + 1
        return [ClipInfo(key: "audit", frameCount: max(100, span), width: 1280, height: 720, origin: "synthetic 1280×720 clip")]
    }

    /// The clips a rendered set was made from, as its plans describe them (size; enough frames for the span).
    public static func clips(of plans: [DegradationPlan]) -> [ClipInfo] {
        var seen = Set<String>()
        var out: [ClipInfo] = []
        for p in plans where !seen.contains(p.clip) {
            seen.insert(p.clip)
            let frames = (p.sourceFrames.max() ?? 0) + 1
            out.append(ClipInfo(key: p.clip, frameCount: max(frames, p.sourceFrames.count), width: p.sourceSize.width,
                                height: p.sourceSize.height, origin: "as recorded in the catalog"))
        }
        return out
    }

    /// Parameter statistics of `count` fresh plans (as `draw` makes them), planned one at a time and not kept.
    public static func statistics(recipe: Recipe, seed: UInt64, clips: [ClipInfo], count: Int, keyPrefix: String = "audit") throws -> ParameterStatistics {
        guard !clips.isEmpty else { throw InputError("no clips to plan over") }
        return try ParameterStatistics(count: count) { i in
            try Planner.plan(recipe: recipe, seed: seed, clip: clips[i % clips.count], key: "\(keyPrefix)-\(i)")
        }
    }

    /// `count` plans of `recipe` over `clips` (cycled), keys `<prefix>-0`, `<prefix>-1`, …
    public static func draw(recipe: Recipe, seed: UInt64, clips: [ClipInfo], count: Int, keyPrefix: String = "audit") throws -> [DegradationPlan] {
        guard !clips.isEmpty else { throw InputError("no clips to plan over") }
        return try (0..<count).map { i in
            try Planner.plan(recipe: recipe, seed: seed, clip: clips[i % clips.count], key: "\(keyPrefix)-\(i)")
        }
    }
}
