import DegradeMedia
import DegradeOps

/// Bounds on what a recipe (or train config) may ask for, checked while loading so a hostile or mistaken file
/// fails fast with exit status 2 instead of hanging, exhausting memory or failing half-way through a render.
public enum RecipeLimits {
    /// Largest recipe file read: real recipes are a few kB.
    public static let maxBytes = 1 << 20
    /// YAML nodes after expanding aliases (`*name`): an alias bomb expands exponentially, real recipes hold a few hundred.
    static let maxNodes = 100_000
    /// Nesting of YAML collections, estimated from the text before composing (the composer recurses per level).
    static let maxNesting = 200
    /// Ops in a pipeline, counting every shuffle entry: the references use about 20.
    static let maxOps = 1_000
    /// Largest square crop side (`crop.size`, `paired_crop`): a crop may hold at most as many pixels as a decoded frame.
    static let maxCropSide = Int(Double(ImageLimits.default.maxPixels).squareRoot())
    /// Largest resize output side and plane: the limits `Resize.apply` enforces when it runs.
    static let maxResizeSide = Resize.maxDimension
    static let maxResizePlane = Resize.maxPlaneSize

    /// Why a resize output size is refused, or nil when it is within `Resize`'s limits.
    static func resizeProblem(width: Int, height: Int) -> String? {
        if width > maxResizeSide || height > maxResizeSide {
            return "\(width)×\(height) exceeds the resize limit of \(maxResizeSide) px a side"
        }
        if width * height > maxResizePlane {  // no overflow: both sides are ≤ 2¹⁵ here
            return "\(width)×\(height) = \(width * height) samples exceeds the resize limit of \(maxResizePlane) samples per plane (8192×8192)"
        }
        return nil
    }
}
