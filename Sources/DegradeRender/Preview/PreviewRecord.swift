import DegradeEngine

/// Everything the gallery and the database know about one previewed sample. Paths are relative to the
/// preview folder.
public struct PreviewRecord: Sendable, Equatable {
    /// Position of the recipe on the command line (0-based) and of the sample within it.
    var recipeIndex: Int
    public var sample: Int
    public var key: String
    public var clip: String
    public var variant: Int
    public var plan: DegradationPlan
    /// The plan as pretty-printed JSON with sorted keys.
    var planJSON: String
    /// Rows of GT | LQ (nearest-upscaled to the GT size), one row per frame in `pairFrames`.
    var pairsPath: String
    var pairFrames: [Int]
    /// GT | LQ of frame 0 alone, for the side-by-side comparison.
    var comparePath: String
    /// All stages of frame 0 on one sheet.
    var stagesSheetPath: String
    public var stages: [StageCard]
    public var gtSize: FrameDims
    public var lqSize: FrameDims
    public var seconds: Double
}

/// One recipe of a preview run, as recorded.
public struct PreviewRecipe: Sendable, Equatable {
    public var name: String
    public var description: String
    public var file: String
    public var hash: String
    public var text: String
    public var scale: Int
    /// Folder of this recipe's images, relative to the preview folder.
    public var folder: String
}
