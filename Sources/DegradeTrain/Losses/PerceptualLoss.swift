import DegradeTensor
import Foundation

/// ESRGAN / RealBasicVSR's perceptual loss: `Σ_k w_k · mean|φ_k(norm(sr)) − φ_k(norm(gt))|` over VGG19 feature
/// layers `k`, with `norm(x) = (x − mean_c) / std_c` ImageNet normalisation (mean 0.485/0.456/0.406, std
/// 0.229/0.224/0.225) of [0, 1] RGB input. Defaults follow BasicSR's `PerceptualLoss` in RealBasicVSR/Real-ESRGAN:
/// layers conv1_2, conv2_2, conv3_4, conv4_4, conv5_4 before their ReLU (torchvision indices 2, 7, 16, 25, 34)
/// weighted 0.1, 0.1, 1, 1, 1. The overall loss weight (e.g. 1.0) is the caller's.
///
/// The VGG weights are frozen (no parameter gradients, nothing for an optimiser); gradients flow to `sr` only — the
/// GT features are computed without history. See `VGGFeatures` for the tensor names the weights file must hold.
public struct PerceptualLoss: Sendable {
    /// BasicSR's default layer weights, by torchvision module index.
    public static let defaultLayerWeights: [Int: Float] = [2: 0.1, 7: 0.1, 16: 1, 25: 1, 34: 1]
    static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    public let network: VGGFeatures
    public let layerWeights: [Int: Float]
    /// Whether inputs are ImageNet-normalised before VGG (true for torchvision's weights).
    let normalizesInput: Bool
    /// The normalisation as a frozen 1×1 convolution: weight `diag(1/std)`, bias `−mean/std`.
    private let normalization: Conv2d

    /// Builds the VGG stack only as deep as the deepest weighted layer.
    /// - Throws: `VGGWeightsError` (missing names are all listed) or when `layerWeights` is empty.
    public init(weights: SafeTensors, layerWeights: [Int: Float] = PerceptualLoss.defaultLayerWeights,
                normalizesInput: Bool = true) throws {
        guard let deepest = layerWeights.keys.max() else { throw VGGWeightsError("no feature layers requested") }
        network = try VGGFeatures(weights: weights, deepestLayer: deepest)
        self.layerWeights = layerWeights
        self.normalizesInput = normalizesInput
        var w = [Float](repeating: 0, count: 9)
        for c in 0..<3 { w[c * 3 + c] = 1 / Self.imageNetStd[c] }
        normalization = Conv2d(
            weight: Parameter(Tensor(shape: [3, 3, 1, 1], scalars: w), name: "normalization.weight", isTrainable: false),
            bias: Parameter(Tensor(shape: [3], scalars: (0..<3).map { -Self.imageNetMean[$0] / Self.imageNetStd[$0] }),
                            name: "normalization.bias", isTrainable: false))
    }

    /// Reads the VGG weights from a safetensors file.
    public init(path: String, layerWeights: [Int: Float] = PerceptualLoss.defaultLayerWeights,
                normalizesInput: Bool = true) throws {
        try self.init(weights: try SafeTensors.read(path), layerWeights: layerWeights, normalizesInput: normalizesInput)
    }

    /// The weighted feature distance as a scalar; differentiable w.r.t. `sr`.
    /// - Precondition: `sr` and `gt` are equal `[N, 3, H, W]` shapes.
    public func callAsFunction(_ sr: Tensor, _ gt: Tensor) -> Tensor {
        precondition(sr.shape == gt.shape, "PerceptualLoss: sr \(sr.shape) and gt \(gt.shape) must match")
        let layers = Set(layerWeights.keys)
        let target = GradientMode.withoutGradients { network.features(prepared(gt.detached()), at: layers) }
        let mine = network.features(prepared(sr), at: layers)
        var total: Tensor?
        for k in layers.sorted() {
            let term = Loss.l1(mine[k]!, target[k]!) * layerWeights[k]!
            total = total.map { $0 + term } ?? term
        }
        return total!
    }

    private func prepared(_ x: Tensor) -> Tensor { normalizesInput ? normalization(x) : x }
}
