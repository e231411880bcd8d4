import DegradeMedia
import DegradeOps

/// Every random decision for one sample, resolved up front: which ops run, in which order, and each op's
/// parameters for every frame. Noise and codec realisations are not stored; they are drawn at execution
/// from streams keyed by (seed, sample key, op location), so a plan stays small and still replays exactly.
/// Plain Codable data: `degrade plan` prints it as JSON, catalogs store it, `execute` replays it.
public struct DegradationPlan: Codable, Sendable, Equatable {
    public var tool: String
    public var recipe: String
    /// Stable hash of the recipe's YAML text.
    public var recipeHash: String
    public var seed: UInt64
    /// The sample's key: the clip key, plus `#n` for the n-th variant of a clip.
    public var key: String
    /// The source clip the frames come from.
    public var clip: String
    /// Source frame indices, in order, before mirroring.
    public var sourceFrames: [Int]
    public var sourceSize: FrameDims
    public var crop: CropPlan?
    public var hflip: Bool
    public var vflip: Bool
    public var transpose: Bool
    public var mirror: Bool
    public var unsharp: UnsharpSpec?
    public var lqFromUnsharp: Bool
    /// Ground-truth frame size (after crop and transpose) and count (after mirroring).
    public var gtSize: FrameDims
    public var frameCount: Int
    /// The pipeline's ops in the order they run (shuffles resolved), each with what it drew.
    public var steps: [PlanStep]
    /// The order drawn for each `shuffle` of the recipe (already applied to `steps`; kept for the audit).
    public var shuffles: [ShuffleDecision]
    public var pairedCrop: PairedCropPlan?
    /// Final LQ size of every frame.
    public var lqSizes: [FrameDims]
    /// The GT trimmed at the bottom and right to a multiple of the recipe's scale (BasicSR's `mod_crop`), so
    /// GT = scale × LQ exactly; nil when no trim was needed (and in plans written before sample version 2).
    var modCrop: FrameDims? = nil
    /// `DegradeVersion.sampleVersion` of the planner (nil in plans written before sample versions: 1).
    public var sampleVersion: Int? = nil
    /// The window's place in its video file (nil for other sources and in plans written before it was recorded).
    public var sourcePosition: SourcePosition? = nil
}

extension DegradationPlan {
    /// The part of each source frame the plan reads: its crop window (unless the crop pads the frame first), or nil
    /// for the whole frame. `Executor.run` accepts source frames already cut to this region.
    public var sourceRegion: PixelRegion? {
        guard let crop, !crop.padded else { return nil }
        return PixelRegion(x: crop.x, y: crop.y, width: crop.size, height: crop.size)
    }
}

public struct FrameDims: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    public var description: String { "\(width)×\(height)" }
}

public struct CropPlan: Codable, Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var size: Int
    /// The source was reflect-101 padded (bottom/right) to at least `size` before cropping.
    public var padded: Bool
}

public struct PairedCropPlan: Codable, Sendable, Equatable {
    /// Top-left of the LQ crop; the GT crop starts at `scale` times this.
    public var lqX: Int
    public var lqY: Int
    public var gtSize: Int
    public var scale: Int
}

public struct ShuffleDecision: Codable, Sendable, Equatable {
    public var at: String
    /// Entry indices in the order they run.
    public var order: [Int]
}
