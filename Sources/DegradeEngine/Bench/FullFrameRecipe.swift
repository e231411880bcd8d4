extension Recipe {
    /// The same recipe on whole source frames: the GT crop is removed and every fixed-size resize
    /// (`target_size`) becomes a fixed fraction of the GT size (`target_scale: targetScale`).
    ///
    /// Every other setting — ops, probabilities, ranges, random walks, recipe locations (and so every random
    /// draw) — is unchanged. For RealBasicVSR with `targetScale: 0.25`, 1280×720 frames give 320×180 LQ, the
    /// recipe's ×4 at full-frame size. The name gets a `-fullframe` suffix, and `source` a closing comment that
    /// says what changed, so the variant's recipe hash differs from the original's.
    func fullFrame(targetScale: Double) -> Recipe {
        var r = self
        r.name += "-fullframe"
        r.clip.cropSize = nil
        r.clip.padIfSmaller = false
        r.pipeline = pipeline.map { $0.replacingTargetSize(by: targetScale) }
        r.source += "\n# derived in code: crop removed, resize target_size → target_scale \(targetScale)\n"
        return r
    }
}

extension RecipeItem {
    func replacingTargetSize(by scale: Double) -> RecipeItem {
        switch self {
        case let .op(at, .resize(spec)) where spec.targetSize != nil:
            var s = spec
            s.targetSize = nil
            s.targetScale = scale
            return .op(at: at, .resize(s))
        case .op:
            return self
        case let .shuffle(at, groups, keepBefore):
            return .shuffle(at: at, groups: groups.map { $0.map { $0.replacingTargetSize(by: scale) } }, keepBefore: keepBefore)
        }
    }
}
