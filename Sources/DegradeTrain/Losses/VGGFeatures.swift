import DegradeTensor
import Foundation

/// The convolutional part of VGG19 (torchvision's `vgg19().features`), frozen, built from user-supplied weights.
///
/// Module indices follow torchvision, so a feature layer is named by the index of the module whose output it is:
///
/// | stage | convs (index: name)                               | then        |
/// |-------|---------------------------------------------------|-------------|
/// | 1     | 0 conv1_1, 2 conv1_2                              | 4 max-pool  |
/// | 2     | 5 conv2_1, 7 conv2_2                              | 9 max-pool  |
/// | 3     | 10 conv3_1, 12 conv3_2, 14 conv3_3, 16 conv3_4    | 18 max-pool |
/// | 4     | 19 conv4_1, 21 conv4_2, 23 conv4_3, 25 conv4_4    | 27 max-pool |
/// | 5     | 28 conv5_1, 30 conv5_2, 32 conv5_3, 34 conv5_4    | 36 max-pool |
///
/// Each conv (3×3, padding 1, with bias) is followed by a ReLU at the next index (1, 3, 6, …, 35); max-pools are
/// 2×2 with stride 2. So layer 2 is conv1_2's output *before* its ReLU, layer 3 after it.
///
/// Expected safetensors tensors (F32; torchvision's state-dict keys, e.g. exported with
/// `safetensors.torch.save_file({k: v for k, v in vgg19(weights="IMAGENET1K_V1").features.state_dict().items()}, …)`
/// after prefixing `features.`): `features.{i}.weight` `[Cout, Cin, 3, 3]` and `features.{i}.bias` `[Cout]` for every
/// conv index `i` up to the deepest requested layer. The first conv takes 3 channels; each takes the previous one's
/// output channels. Standard VGG19 has 64, 64 | 128, 128 | 256 ×4 | 512 ×4 | 512 ×4 channels, but any widths that
/// chain are accepted (tests use a few channels). Other tensors in the file (e.g. `classifier.*`) are ignored.
public struct VGGFeatures: Sendable {
    /// torchvision indices of VGG19's convolutions.
    static let convolutionIndices = [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34]
    /// torchvision indices of VGG19's 2×2 max-pools.
    static let poolIndices = [4, 9, 18, 27, 36]
    /// The last module index of `features`.
    public static let lastIndex = 36

    /// The deepest module built (outputs of deeper layers cannot be requested).
    public let deepestLayer: Int
    /// Frozen convolutions by module index.
    public let convolutions: [Int: Conv2d]

    /// Builds the stack up to module `deepestLayer` from `weights`.
    /// - Throws: `VGGWeightsError` listing every missing tensor name, or naming a tensor whose shape does not fit.
    public init(weights: SafeTensors, deepestLayer: Int) throws {
        guard (0...Self.lastIndex).contains(deepestLayer) else {
            throw VGGWeightsError("layer \(deepestLayer) is outside VGG19's features (0…\(Self.lastIndex))")
        }
        self.deepestLayer = deepestLayer
        let needed = Self.convolutionIndices.filter { $0 <= deepestLayer }
        let missing = needed.flatMap { ["features.\($0).weight", "features.\($0).bias"] }.filter { weights.tensors[$0] == nil }
        guard missing.isEmpty else {
            throw VGGWeightsError("missing \(missing.count) tensor(s) for VGG19 features up to layer \(deepestLayer): " +
                                  missing.joined(separator: ", "))
        }
        var convs: [Int: Conv2d] = [:]
        var channels = 3
        for i in needed {
            let w = weights.tensors["features.\(i).weight"]!, b = weights.tensors["features.\(i).bias"]!
            guard w.shape.count == 4, w.shape[1] == channels, w.shape[2] == 3, w.shape[3] == 3, w.shape[0] > 0 else {
                throw VGGWeightsError("features.\(i).weight has shape \(w.shape), expected [Cout, \(channels), 3, 3]")
            }
            guard b.shape == [w.shape[0]] else {
                throw VGGWeightsError("features.\(i).bias has shape \(b.shape), expected [\(w.shape[0])]")
            }
            convs[i] = Conv2d(
                weight: Parameter(Tensor(shape: w.shape, scalars: w.values), name: "features.\(i).weight", isTrainable: false),
                bias: Parameter(Tensor(shape: b.shape, scalars: b.values), name: "features.\(i).bias", isTrainable: false))
            channels = w.shape[0]
        }
        convolutions = convs
    }

    /// Reads the weights from a safetensors file.
    public init(path: String, deepestLayer: Int) throws {
        try self.init(weights: try SafeTensors.read(path), deepestLayer: deepestLayer)
    }

    /// Outputs of the requested modules for an NCHW batch (no normalisation applied here). Gradients flow to `x`,
    /// never to the frozen weights.
    /// - Precondition: every layer in `layers` ≤ `deepestLayer`; the sides survive the pools before it.
    func features(_ x: Tensor, at layers: Set<Int>) -> [Int: Tensor] {
        let deepest = layers.max() ?? -1
        precondition(deepest <= deepestLayer, "VGGFeatures: layer \(deepest) is deeper than the built \(deepestLayer)")
        precondition(x.rank == 4 && x.shape[1] == 3, "VGGFeatures: input must be [N, 3, H, W], got \(x.shape)")
        let pools = Self.poolIndices.filter { $0 < deepest }.count
        precondition(x.shape[2] >> pools > 0 && x.shape[3] >> pools > 0,
                     "VGGFeatures: \(x.shape[2])×\(x.shape[3]) is too small for \(pools) pooling stages before layer \(deepest)")
        var out: [Int: Tensor] = [:]
        var h = x
        var i = 0
        while i <= deepest {
            if let conv = convolutions[i] {
                // Fuse the ReLU unless the pre-activation output is wanted or the stack stops here.
                let fuse = !layers.contains(i) && i + 1 <= deepest
                h = h.conv2d(weight: conv.weight.value, bias: conv.bias?.value, activation: fuse ? .relu : .identity)
                if fuse {
                    i += 1
                } else {
                    out[i] = h
                    i += 1
                    continue
                }
            } else if Self.poolIndices.contains(i) {
                h = h.maxPool2d(2)
            } else {
                h = h.relu()
            }
            if layers.contains(i) { out[i] = h }
            i += 1
        }
        return out
    }
}

/// VGG weights that do not fit the expected names or shapes.
struct VGGWeightsError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "VGG weights: " + message }
}
