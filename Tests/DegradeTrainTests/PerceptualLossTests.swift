import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

/// A reduced VGG19 (same layout, 2–4 channels) with seeded weights, as a safetensors file's contents.
func tinyVGGWeights(seed: UInt64 = 5) -> SafeTensors {
    let widths = [2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3]
    var g = SplitMix64(seed: seed)
    var tensors: [String: SafeTensors.Entry] = [:]
    var cin = 3
    for (i, index) in VGGFeatures.convolutionIndices.enumerated() {
        let conv = Conv2d(inChannels: cin, outChannels: widths[i], kernelSize: 3, name: "features.\(index)", using: &g)
        // ×2 keeps activations from fading through 16 layers of default-initialised convs.
        tensors[conv.weight.name] = .init(shape: conv.weight.shape, values: (conv.weight.value * 2).scalars)
        tensors[conv.bias!.name] = .init(shape: conv.bias!.shape, values: conv.bias!.value.scalars)
        cin = widths[i]
    }
    tensors["classifier.0.weight"] = .init(shape: [1], values: [0])  // ignored
    return SafeTensors(tensors: tensors)
}

@Suite struct PerceptualLossBehaviour {
    func image(_ seed: UInt64) -> Tensor {
        var g = SplitMix64(seed: seed)
        return Tensor.uniform([1, 3, 16, 16], using: &g)
    }

    @Test func loadsFromAFileAndIsZeroOnlyForIdenticalInputs() throws {
        let path = NSTemporaryDirectory() + "vgg-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try tinyVGGWeights().write(to: path)
        let loss = try PerceptualLoss(path: path)
        #expect(loss.network.deepestLayer == 34)
        let a = image(1), b = image(2)
        #expect(loss(a, a).scalar == 0)
        #expect(loss(a, b).scalar > 0)
        // Each layer contributes: dropping the deep layers changes the value.
        let shallow = try PerceptualLoss(weights: tinyVGGWeights(), layerWeights: [2: 0.1, 7: 0.1])
        #expect(shallow.network.deepestLayer == 7)
        #expect(shallow(a, b).scalar != loss(a, b).scalar)
    }

    @Test func layerTwoIsBeforeTheReLU() throws {
        let vgg = try VGGFeatures(weights: tinyVGGWeights(), deepestLayer: 4)
        let f = vgg.features(image(3), at: [2, 3, 4])
        #expect(f[2]!.scalars.contains { $0 < 0 })
        #expect(f[3]!.scalars.allSatisfy { $0 >= 0 } && f[3]!.scalars == f[2]!.relu().scalars)
        #expect(f[4]!.shape == [1, 2, 8, 8] && f[4]!.scalars == f[3]!.maxPool2d(2).scalars)
    }

    @Test func gradientReachesTheInputOnlyAndMatchesFiniteDifferences() throws {
        let loss = try PerceptualLoss(weights: tinyVGGWeights(), layerWeights: [2: 0.1, 7: 0.1, 16: 1])
        let gt = image(4)
        let sr = image(5).requiringGradient()
        let gradients = loss(sr, gt).backward()
        #expect(gradients.count == 1)  // the frozen VGG receives nothing
        let analytic = try #require(gradients[sr]).scalars
        let base = sr.scalars
        let step: Float = 1e-2
        var numeric: [Double] = [], picked: [Double] = []
        for j in stride(from: 3, to: base.count, by: 37) {
            var plus = base, minus = base
            plus[j] += step
            minus[j] -= step
            let up = GradientMode.withoutGradients { loss(Tensor(shape: sr.shape, scalars: plus), gt).scalar }
            let down = GradientMode.withoutGradients { loss(Tensor(shape: sr.shape, scalars: minus), gt).scalar }
            numeric.append(Double(up - down) / Double(plus[j] - minus[j]))
            picked.append(Double(analytic[j]))
        }
        // ReLU / max-pool / |·| kinks make single elements noisy; the gradient vector as a whole must agree.
        let diff = zip(numeric, picked).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let norm = numeric.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(norm > 0)
        #expect(diff / norm < 0.05)
    }

    @Test func missingAndMisshapenWeightsAreNamed() throws {
        var w = tinyVGGWeights()
        w.tensors["features.7.bias"] = nil
        w.tensors["features.30.weight"] = nil
        do {
            _ = try PerceptualLoss(weights: w)
            Issue.record("expected an error")
        } catch let e as VGGWeightsError {
            #expect(e.message.contains("features.7.bias") && e.message.contains("features.30.weight"))
        }
        // Only the layers needed are required.
        _ = try PerceptualLoss(weights: w, layerWeights: [2: 1])
        var bad = tinyVGGWeights()
        bad.tensors["features.5.weight"] = .init(shape: [3, 5, 3, 3], values: [Float](repeating: 0, count: 135))
        #expect(throws: VGGWeightsError("features.5.weight has shape [3, 5, 3, 3], expected [Cout, 2, 3, 3]")) {
            _ = try VGGFeatures(weights: bad, deepestLayer: 34)
        }
    }
}
