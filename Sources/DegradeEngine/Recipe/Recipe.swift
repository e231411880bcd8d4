/// A degradation recipe: how clean clips are prepared (frames, crop, flips, mirroring, sharpening) and the
/// pipeline of random degradations that turns them into low-quality clips. Parsed from YAML (see
/// `recipes/README.md`); pure data.
public struct Recipe: Codable, Sendable, Equatable {
    public var name: String
    public var description: String = ""
    /// Nominal super-resolution scale (GT size / LQ size), used by checks, previews and evaluation.
    public var scale: Int = 4
    public var clip: ClipSpec = ClipSpec()
    public var pipeline: [RecipeItem] = []
    /// The exact YAML text the recipe was read from, kept so plans and catalogs can record its hash.
    public var source: String = ""
    public var file: String = ""

    public init(name: String) { self.name = name }
}

/// How a sample's ground truth is cut from a source clip before degradation.
public struct ClipSpec: Codable, Sendable, Equatable {
    /// Consecutive frames per sample (nil = the whole clip); the start is random per sample.
    public var frames: Int? = nil
    public var frameInterval: Int = 1
    /// Square GT crop, one random position for the whole clip (nil = full frames).
    public var cropSize: Int? = nil
    /// Reflect-101 pad frames smaller than the crop (Real-ESRGAN pads to ≥ 400 before cropping).
    var padIfSmaller: Bool = false
    var hflipProb: Double = 0
    var vflipProb: Double = 0
    var transposeProb: Double = 0
    /// Append the frames in reverse (1…T, T…1), before degradation, as RealBasicVSR training does.
    public var mirror: Bool = false
    /// Sharpen the GT (`gt_unsharp`); with `lqFromUnsharp` the LQ is synthesised from the sharpened GT.
    public var unsharp: UnsharpSpec? = nil
    public var lqFromUnsharp: Bool = false
    /// A paired crop after degradation: GT `size`, LQ `size / scale`, one position per clip.
    public var pairedCrop: Int? = nil
}

/// One entry of a pipeline: an op, or a shuffle of entries. `at` locates it in the recipe (e.g.
/// `pipeline[13].shuffle[1][0]`); each op draws its random numbers from a stream named after `at`, so
/// editing one op never changes the draws of another.
public indirect enum RecipeItem: Codable, Sendable, Equatable {
    case op(at: String, RecipeOp)
    /// Entries applied in a random order per clip. An entry that is itself a list keeps its inner order.
    /// `keepBefore` pairs (i, j) force entry i before entry j (BSRGAN: by swapping them when drawn out of order).
    case shuffle(at: String, groups: [[RecipeItem]], keepBefore: [[Int]])
}

public enum RecipeOp: Codable, Sendable, Equatable {
    case blur(BlurSpec)
    case motionBlur(MotionBlurSpec)
    case resize(ResizeSpec)
    case noise(NoiseSpec)
    case jpeg(JPEGSpec)
    case video(VideoSpec)
    /// Round to 8 bits: clip(round(255·x), 0, 255)/255.
    case quantize
    /// Clamp to [0, 1].
    case clip

    public var name: String {
        switch self {
        case .blur: "blur"
        case .motionBlur: "motion_blur"
        case .resize: "resize"
        case .noise: "noise"
        case .jpeg: "jpeg"
        case .video: "video"
        case .quantize: "quantize"
        case .clip: "clip"
        }
    }
}
