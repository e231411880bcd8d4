import DegradeMedia
import DegradeTensor
import Testing
@testable import DegradeTrain

@Suite("Generator network")
struct GeneratorTests {
    let configuration = TrainConfig.NetworkConfig(channels: 4, cleaningBlocks: 1, propagationBlocks: 1)

    @Test("output is [N, T, 3, 4h, 4w] and the cleaned input keeps the input's shape")
    func shapes() {
        let net = RealBasicVSRNet(configuration: configuration, seed: 1)
        var rng = SplitMix64(seed: 9)
        let lq = Tensor.uniform([2, 3, 3, 6, 5], using: &rng)
        let (out, cleaned) = GradientMode.withoutGradients { net.forward(lq) }
        #expect(out.shape == [2, 3, 3, 24, 20])
        #expect(cleaned.shape == [2, 3, 3, 6, 5])
    }

    @Test("with conv_last zeroed the output is exactly bilinear ×4 of the cleaned LQ")
    func bilinearSkip() {
        let net = RealBasicVSRNet(configuration: configuration, seed: 2)
        for p in net.convLast.parameters { p.assign(Tensor.zeros(p.shape)) }
        var rng = SplitMix64(seed: 3)
        let lq = Tensor.uniform([1, 3, 3, 5, 7], using: &rng)
        let (out, cleaned) = GradientMode.withoutGradients { net.forward(lq) }
        let expected = cleaned.reshaped([3, 3, 5, 7]).upsampleBilinear(scale: 4).reshaped([1, 3, 3, 20, 28])
        #expect(out.scalars == expected.scalars)
        // The cleaning module does change the input (its residual is not zero at init).
        #expect(cleaned.scalars != lq.scalars)
    }

    @Test("a frame's output depends on both past and future frames (bidirectional propagation)")
    func bidirectional() {
        let net = RealBasicVSRNet(configuration: configuration, seed: 4)
        var rng = SplitMix64(seed: 5)
        let lq = Tensor.uniform([1, 3, 3, 4, 4], using: &rng)
        var changedFirst = lq.scalars, changedLast = lq.scalars
        changedFirst[0] += 0.5                          // frame 0
        changedLast[changedLast.count - 1] += 0.5       // frame 2
        let frame1 = { (x: [Float]) in
            GradientMode.withoutGradients { net.forward(Tensor(shape: lq.shape, scalars: x)).output.select(axis: 1, index: 1).scalars }
        }
        let base = frame1(lq.scalars)
        #expect(frame1(changedFirst) != base)
        #expect(frame1(changedLast) != base)
    }

    @Test("initialisation is a pure function of the seed; names and shapes follow mmagic's state dict")
    func initialisation() {
        let a = RealBasicVSRNet(configuration: configuration, seed: 7)
        let b = RealBasicVSRNet(configuration: configuration, seed: 7)
        let c = RealBasicVSRNet(configuration: configuration, seed: 8)
        #expect(TrainFixtures.values(a.parameters) == TrainFixtures.values(b.parameters))
        #expect(TrainFixtures.values(a.parameters) != TrainFixtures.values(c.parameters))
        let names = Set(a.parameters.map(\.name))
        for expected in ["image_cleaning.0.main.0.weight", "image_cleaning.0.main.2.0.conv1.weight", "image_cleaning.1.bias",
                         "basicvsr.backward_resblocks.main.0.weight", "basicvsr.forward_resblocks.main.2.0.conv2.bias",
                         "basicvsr.fusion.weight", "basicvsr.upsample1.upsample_conv.weight",
                         "basicvsr.upsample2.upsample_conv.bias", "basicvsr.conv_hr.weight", "basicvsr.conv_last.weight"] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        #expect(names.count == a.parameters.count)
        let shapes = Dictionary(uniqueKeysWithValues: a.parameters.map { ($0.name, $0.shape) })
        #expect(shapes["basicvsr.backward_resblocks.main.0.weight"] == [4, 7, 3, 3])
        #expect(shapes["basicvsr.fusion.weight"] == [4, 8, 1, 1])
        #expect(shapes["basicvsr.upsample1.upsample_conv.weight"] == [16, 4, 3, 3])
        // mmagic hard-codes 64 channels after upsample2, whatever the mid-channel count.
        #expect(shapes["basicvsr.upsample2.upsample_conv.weight"] == [256, 4, 3, 3])
        #expect(shapes["basicvsr.conv_hr.weight"] == [64, 64, 3, 3])
        #expect(shapes["basicvsr.conv_last.weight"] == [3, 64, 3, 3])
        #expect(!names.contains { $0.contains("spynet") })
    }

    @Test("the aligned network adds mmagic's SPyNet: 6 levels × 5 convs 8→32→64→32→16→2 (7×7) and mean/std buffers")
    func spynetNames() {
        var aligned = configuration
        aligned.alignment = .spynet
        let net = RealBasicVSRNet(configuration: aligned, seed: 7)
        let shapes = Dictionary(uniqueKeysWithValues: net.stored.map { ($0.name, $0.shape) })
        let widths = [8, 32, 64, 32, 16, 2]
        for level in 0..<6 {
            for i in 0..<5 {
                let prefix = "basicvsr.spynet.basic_module.\(level).basic_module.\(i).conv"
                #expect(shapes["\(prefix).weight"] == [widths[i + 1], widths[i], 7, 7])
                #expect(shapes["\(prefix).bias"] == [widths[i + 1]])
            }
        }
        #expect(shapes["basicvsr.spynet.mean"] == [1, 3, 1, 1] && shapes["basicvsr.spynet.std"] == [1, 3, 1, 1])
        #expect(net.flowParameters.count == 60)
        #expect(net.parameters.count == RealBasicVSRNet(configuration: configuration, seed: 7).parameters.count + 60)
        // Outside SPyNet, the two networks of one seed hold the same weights (SPyNet draws from its own stream).
        let plain = RealBasicVSRNet(configuration: configuration, seed: 7)
        #expect(TrainFixtures.values(plain.parameters) == TrainFixtures.values(net.parameters.filter { !$0.name.contains("spynet") }))
    }

    @Test("a fresh SPyNet predicts zero flow, so the aligned network starts equal to the unaligned one")
    func freshSPyNetIsUnaligned() {
        var aligned = configuration
        aligned.alignment = .spynet
        aligned.hrChannels = 4  // keeps the 256² upsampling cheap
        var plainConfig = configuration
        plainConfig.hrChannels = 4
        let a = RealBasicVSRNet(configuration: aligned, seed: 3), plain = RealBasicVSRNet(configuration: plainConfig, seed: 3)
        var rng = SplitMix64(seed: 4)
        let lq = Tensor.uniform([1, 3, 3, 64, 64], using: &rng)
        let (x, y) = GradientMode.withoutGradients { (a.forward(lq).output, plain.forward(lq).output) }
        // Equal up to the rounding of grid_sample's normalise/unnormalise steps, which PyTorch shares.
        #expect(zip(x.scalars, y.scalars).map { abs($0 - $1) }.max()! < 1e-5)
    }

    @Test("with trained-looking SPyNet weights the output follows the flow and gradients reach SPyNet")
    func alignedGradientsReachSPyNet() {
        var aligned = configuration
        aligned.alignment = .spynet
        aligned.hrChannels = 4
        let net = RealBasicVSRNet(configuration: aligned, seed: 5)
        var rng = SplitMix64(seed: 6)
        for p in net.flowParameters where p.name.hasSuffix("4.conv.weight") {
            p.assign(Tensor.normal(p.shape, standardDeviation: 0.002, using: &rng))
        }
        let lq = Tensor.uniform([1, 2, 3, 64, 64], using: &rng)
        var plainConfig = configuration
        plainConfig.hrChannels = 4
        let plain = RealBasicVSRNet(configuration: plainConfig, seed: 5)
        let (out, _) = net.forward(lq)
        let reference = GradientMode.withoutGradients { plain.forward(lq).output }
        #expect(out.scalars != reference.scalars)
        let g = out.backward(seed: Tensor.uniform(out.shape, low: -1, high: 1, using: &rng))
        let norms = net.flowParameters.map { g[$0].map { $0.scalars.reduce(0) { $0 + abs($1) } } ?? 0 }
        #expect(norms.allSatisfy { $0 > 0 })
    }

    @Test("frames below 64 px are refused by the aligned network with a clear error, not a trap")
    func alignedNeedsSixtyFourPixels() throws {
        var aligned = configuration
        aligned.alignment = .spynet
        let net = RealBasicVSRNet(configuration: aligned, seed: 5)
        let clip = TrainFixtures.clip(patch: 8, frames: 2, phase: 0)
        #expect(throws: TrainError.self) { try net.upscale(clip.lq) }
        #expect(net.sizeProblem(height: 63, width: 80)?.contains("at least 64×64") == true)
        #expect(net.sizeProblem(height: 64, width: 64) == nil)
    }

    @Test("upscale returns ×4 frames in [0, 1] and agrees with forward")
    func upscale() throws {
        let net = RealBasicVSRNet(configuration: configuration, seed: 11)
        let clip = TrainFixtures.clip(patch: 4, frames: 2, phase: 0.3)
        let out = try net.upscale(clip.lq)
        #expect(out.count == 2 && out[0].width == 16 && out[0].height == 16)
        let direct = GradientMode.withoutGradients { net.forward(ClipTensor.batch([clip.lq])).output }
        let expected = ClipTensor.images(direct, clip: 0, clamp: true)
        #expect(out == expected)
        #expect(out.allSatisfy { $0.pixels.allSatisfy { (0...1).contains($0) } })
    }
}
