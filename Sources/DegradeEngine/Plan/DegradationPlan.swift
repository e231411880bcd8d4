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
    public var steps: [PlanStep]
    public var shuffles: [ShuffleDecision]
    public var pairedCrop: PairedCropPlan?
    /// Final LQ size of every frame.
    public var lqSizes: [FrameDims]
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

/// One op of the pipeline as it will run (or, with `applied == false`, as its probability gate skipped it).
public struct PlanStep: Codable, Sendable, Equatable {
    public var at: String
    public var op: String
    public var applied: Bool
    public var blur: BlurPlan?
    public var resize: ResizePlan?
    public var noise: NoisePlan?
    public var jpeg: JPEGPlan?
    public var video: VideoPlan?

    public init(at: String, op: String, applied: Bool) {
        self.at = at
        self.op = op
        self.applied = applied
    }
}

public struct KernelParams: Codable, Sendable, Equatable {
    public var sigmaX: Double
    public var sigmaY: Double
    public var theta: Double
    public var beta: Double?
    public var omega: Double?
}

public struct BlurPlan: Codable, Sendable, Equatable {
    public var type: KernelType
    public var size: Int
    public var padTo: Int?
    public var kernelNoise: ClosedRange<Double>?
    /// Kernel parameters for every frame.
    public var frames: [KernelParams]

    public func shape(frame t: Int) -> KernelShape {
        let p = frames[t]
        switch type {
        case .iso, .aniso, .bsrganIso, .bsrganAniso: return .gaussian(sigmaX: p.sigmaX, sigmaY: p.sigmaY, theta: p.theta)
        case .generalizedIso, .generalizedAniso:
            return .generalizedGaussian(sigmaX: p.sigmaX, sigmaY: p.sigmaY, theta: p.theta, beta: p.beta ?? 1)
        case .plateauIso, .plateauAniso: return .plateau(sigmaX: p.sigmaX, sigmaY: p.sigmaY, theta: p.theta, beta: p.beta ?? 1)
        case .sinc: return .sinc(omega: p.omega ?? .pi)
        }
    }
}

public struct ResizePlan: Codable, Sendable, Equatable {
    public var interpolation: Interpolation
    public var mode: ResizeMode?
    /// Per-frame scale factors (nil for a fixed target size).
    public var scales: [Double]?
    /// Output size of every frame.
    public var sizes: [FrameDims]
}

public struct NoisePlan: Codable, Sendable, Equatable {
    public var type: NoiseType
    public var gray: Bool
    /// Gaussian σ per frame, in 8-bit units (σ/255 is applied).
    public var sigmas: [Double]?
    /// Poisson scale per frame.
    public var scales: [Double]?
    /// Correlated noise: the 3×3 covariance (row-major), per clip.
    public var covariance: [Double]?
    public var clip: Bool
}

public struct JPEGPlan: Codable, Sendable, Equatable {
    public var qualities: [Int]
    public var swapRB: Bool
}

public struct VideoPlan: Codable, Sendable, Equatable {
    public var codec: VideoCodec
    public var bitrate: Int?
    public var quality: Int?

    public var rate: RateControl {
        if let quality { return .quality(quality) }
        return .bitrate(bitrate ?? 100_000)
    }
}
