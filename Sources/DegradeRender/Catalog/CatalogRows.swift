import DegradeEngine

/// Rows built outside a render (synthetic catalogs for `bench --audit`, tests): a run of a recipe, and a clip
/// that records only its plan — no frames, no timings.
extension RenderCatalog.Run {
    public init(recipe: Recipe, seed: UInt64, source: String, options: String = "{}") {
        self.init(recipeName: recipe.name, recipeHash: recipe.hash, recipeText: recipe.source, seed: seed,
                  toolVersion: "degrade \(DegradeVersion.string)", source: source, options: options)
    }
}

extension RenderCatalog.ClipRow {
    public init(key: String, sourceClip: String, variant: Int, plan: String) {
        self.init(key: key, sourceClip: sourceClip, variant: variant, plan: plan, seconds: 0, opSeconds: "{}",
                  compressedBytes: "{}", frames: [])
    }
}
