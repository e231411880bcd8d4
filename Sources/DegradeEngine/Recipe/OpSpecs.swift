import DegradeOps

/// Kernel families a blur op can draw from. Names follow mmedit's `kernel_list`.
public enum KernelType: String, Codable, Sendable, CaseIterable {
    case iso, aniso
    case generalizedIso = "generalized_iso", generalizedAniso = "generalized_aniso"
    case plateauIso = "plateau_iso", plateauAniso = "plateau_aniso"
    case sinc
    /// BSRGAN (KAIR) kernels: anisotropic with variances (4+sf)·U(0,1), θ ~ U(0, π); isotropic σ = (2+0.2sf)·U(0,1).
    case bsrganAniso = "bsrgan_aniso", bsrganIso = "bsrgan_iso"
}

/// `blur`: one kernel family and size per clip, parameters drifting per frame by bounded random walks.
public struct BlurSpec: Codable, Sendable, Equatable {
    public var prob: Double = 1
    var kernelSizes: [Int] = [7, 9, 11, 13, 15, 17, 19, 21]
    var kernelList: [KernelType] = [.iso, .aniso, .generalizedIso, .generalizedAniso, .plateauIso, .plateauAniso]
    var kernelProb: [Double] = [0.45, 0.25, 0.12, 0.03, 0.12, 0.03]
    /// Real-ESRGAN style: with this probability the kernel is a sinc, otherwise drawn from `kernelList`.
    var sincProb: Double = 0
    public var sigmaX: ClosedRange<Double> = 0.2...3
    public var sigmaY: ClosedRange<Double> = 0.2...3
    public var rotation: ClosedRange<Double> = -Double.pi...Double.pi
    var betaGaussian: ClosedRange<Double> = 0.5...4
    var betaPlateau: ClosedRange<Double> = 1...2
    /// Sinc cut-off; nil ⇒ Real-ESRGAN's rule U(π/3, π) for k < 13, else U(π/5, π).
    public var omega: ClosedRange<Double>? = nil
    var sigmaXStep: Double = 0
    var sigmaYStep: Double = 0
    var rotationStep: Double = 0
    var betaGaussianStep: Double = 0
    var betaPlateauStep: Double = 0
    var omegaStep: Double = 0
    /// How β of generalized and plateau kernels is drawn (see `BetaRule`).
    var betaRule: BetaRule = .realesrgan
    public var padTo: Int? = 21
    /// Multiplicative kernel noise U(lo, hi) per tap (mmedit's `noise_range`; unused by every reference config).
    var kernelNoise: ClosedRange<Double>? = nil
    /// BSRGAN kernels' scale factor sf.
    var bsrganScale: Double = 4
}

/// The two references' rules for the shape parameter β of generalized-Gaussian and plateau kernels.
enum BetaRule: String, Codable, Sendable, CaseIterable {
    /// Real-ESRGAN / BasicSR: per clip, with p = 0.5 β = U(low, 1), else U(1, high); then the per-frame walk.
    case realesrgan
    /// mmedit 0.16.1 `RandomBlur`: per clip β = U(low, high), walked per frame by U(−step, step) and clipped;
    /// each frame's kernel then draws its own β = U between the walked β and 1.
    case mmedit
}

/// `motion_blur`: a linear streak (camera shake, moving subjects). Length and angle are drawn per clip and drift per
/// frame by bounded random walks, like the blur kernels' parameters.
public struct MotionBlurSpec: Codable, Sendable, Equatable {
    public var prob: Double = 1
    /// Streak length in px (0 is no blur).
    public var length: ClosedRange<Double> = 3...15
    /// Streak direction, radians counter-clockwise from +x; a streak at θ + π is the same streak.
    public var angle: ClosedRange<Double> = 0...Double.pi
    var lengthStep: Double = 0
    var angleStep: Double = 0
}

public enum ResizeMode: String, Codable, Sendable, CaseIterable { case up, down, keep }

/// `resize`: scale (or a fixed target) per clip, interpolation per clip, scale drifting per frame.
public struct ResizeSpec: Codable, Sendable, Equatable {
    public var prob: Double = 1
    var modeProb: [Double] = [0.2, 0.7, 0.1]
    public var scale: ClosedRange<Double> = 0.15...1.5
    /// BSRGAN style: scale = 1/U(lo, hi) (overrides mode and scale).
    var reciprocalScale: ClosedRange<Double>? = nil
    var interpolations: [Interpolation] = [.bilinear, .area, .bicubic]
    var interpolationProb: [Double] = [1.0 / 3, 1.0 / 3, 1.0 / 3]
    public var step: Double = 0
    public var evenSize: Bool = false
    /// Fixed output size [height, width]; no walk.
    var targetSize: [Int]? = nil
    /// Fixed output size as a fraction of the ground-truth size (e.g. 0.25 for ×4 SR); no walk.
    var targetScale: Double? = nil
    /// The size the random scale multiplies: the current frame (mmedit) or the ground truth times
    /// `referenceScale` (Real-ESRGAN's second order: `(int(H/4·s), int(W/4·s))`).
    var relativeToGT: Bool = false
    var referenceScale: Double = 1
}

public enum NoiseType: String, Codable, Sendable, CaseIterable {
    case gaussian, poisson
    /// BSRGAN's channel-correlated Gaussian, N(0, |L²·UᵀDU|) per pixel.
    case correlated
}

/// `noise`: type and gray flag per clip, strength drifting per frame, a fresh realisation every frame.
public struct NoiseSpec: Codable, Sendable, Equatable {
    public var prob: Double = 1
    public var types: [NoiseType] = [.gaussian, .poisson]
    var typeProb: [Double] = [0.5, 0.5]
    /// σ in 8-bit units (divided by 255 when applied).
    var gaussianSigma: ClosedRange<Double> = 1...30
    var gaussianSigmaStep: Double = 0
    var gaussianGrayProb: Double = 0.4
    /// Draw σ as a whole number of 8-bit levels (KAIR's `randint`).
    var gaussianSigmaInteger: Bool = false
    var poissonScale: ClosedRange<Double> = 0.05...3
    var poissonScaleStep: Double = 0
    var poissonGrayProb: Double = 0.4
    /// L for correlated noise, in 8-bit units (KAIR: 25).
    var correlatedLevel: Double = 25
    /// Clamp to [0, 1] after adding noise (Real-ESRGAN, BSRGAN do; mmedit does not).
    public var clip: Bool = false
}

/// `jpeg`: quality per frame, drifting by a bounded walk.
public struct JPEGSpec: Codable, Sendable, Equatable {
    public var prob: Double = 1
    public var quality: ClosedRange<Double> = 30...95
    var qualityStep: Double = 0
    /// Draw q as a uniform integer (KAIR's randint) rather than round(U(lo, hi)) (mmedit).
    var integerQuality: Bool = false
    /// Reproduce mmedit's R/B swap (RGB data encoded as if BGR). Off by default: the swap is a bug.
    public var swapRB: Bool = false
}

/// `video`: one codec and rate per clip, the whole clip encoded as one stream.
public struct VideoSpec: Codable, Sendable, Equatable {
    public var prob: Double = 1
    public var codecs: [VideoCodec] = [.libx264, .libx264, .mpeg4]
    var codecProb: [Double] = [1.0 / 3, 1.0 / 3, 1.0 / 3]
    /// Bits per second at 1 frame per second, i.e. bits per frame; uniform integer.
    public var bitrate: ClosedRange<Double>? = 1e4...1e5
    /// Constant-quality mode instead of a bitrate: CRF (x264/x265/VP9/AV1) or qscale (mpeg4), uniform integer.
    public var quality: ClosedRange<Double>? = nil
}

/// Unsharp masking of the ground truth (`gt_unsharp`).
public struct UnsharpSpec: Codable, Sendable, Equatable {
    public var kernelSize: Int = 51
    public var sigma: Double = 0
    public var weight: Double = 0.5
    public var threshold: Double = 10
}
