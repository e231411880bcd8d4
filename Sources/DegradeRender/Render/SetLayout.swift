import DegradeMedia

/// Where a rendered set puts its files, chosen so that BasicSR and mmagic read the set as it is:
///
/// - clips: `lq/<clip>/00000000.png`, `gt/<clip>/…` (REDS layout; BasicSR's video datasets, mmedit 0.x folder
///   datasets, mmagic `BasicFramesDataset`);
/// - images (recipes with `frames: 1`): `lq/<name>.png`, `gt/<name>.png` (BasicSR `PairedImageDataset`,
///   Real-ESRGAN's paired dataset), with a `gt, lq` meta_info;
/// - `--repeat N > 1`: each variant in its own root `variant-K/` with its own meta_info, so clip folder names stay
///   the source's (REDS partition filters match exact clip names; `000#1` would never pass them).
public struct SetLayout: Codable, Sendable, Equatable {
    /// One frame per sample, written flat.
    public var images: Bool
    /// Variants in `variant-K/` roots.
    public var variantRoots: Bool
    /// `gt/` is written (default; `--no-gt` leaves it out when the GT is the unchanged source).
    public var groundTruth: Bool
    /// `gt_unsharp/` is written: asked for (`--gt-unsharp`), or the sharpened GT cannot be recomputed from `gt/`.
    /// Without it, readers recompute the sharpened GT exactly from `gt/` (`GroundTruthSharpening`).
    public var gtUnsharp: Bool

    public init(images: Bool = false, variantRoots: Bool = false, groundTruth: Bool = true, gtUnsharp: Bool = false) {
        self.images = images
        self.variantRoots = variantRoots
        self.groundTruth = groundTruth
        self.gtUnsharp = gtUnsharp
    }

    /// The folder (relative to OUT, empty for OUT itself) holding variant `variant`'s `lq/`, `gt/` and meta_info.
    public func root(variant: Int) -> String {
        variantRoots ? "variant-\(variant)/" : ""
    }

    /// The clip's folder name (or image name) inside a root: the source clip's key when variants have roots of
    /// their own, else the sample key (`clip#k` for variants ≥ 1).
    public func name(sampleKey: String, clipKey: String) -> String {
        variantRoots ? clipKey : sampleKey
    }

    /// A frame's path relative to OUT.
    func framePath(kind: String, sampleKey: String, clipKey: String, variant: Int, index: Int) -> String {
        let n = name(sampleKey: sampleKey, clipKey: clipKey)
        return images ? "\(root(variant: variant))\(kind)/\(n).png" : "\(root(variant: variant))\(kind)/\(n)/\(frameName(index))"
    }

    func frameName(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".png"
    }

    /// Every root a set with `variants` variants has.
    public func roots(variants: Int) -> [String] {
        variantRoots ? (0..<variants).map { root(variant: $0) } : [""]
    }
}
