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

    @Test("initialisation is a pure function of the seed; names follow the mmedit state dict")
    func initialisation() {
        let a = RealBasicVSRNet(configuration: configuration, seed: 7)
        let b = RealBasicVSRNet(configuration: configuration, seed: 7)
        let c = RealBasicVSRNet(configuration: configuration, seed: 8)
        #expect(TrainFixtures.values(a.parameters) == TrainFixtures.values(b.parameters))
        #expect(TrainFixtures.values(a.parameters) != TrainFixtures.values(c.parameters))
        let names = Set(a.parameters.map(\.name))
        for expected in ["image_cleaning.0.main.0.weight", "image_cleaning.0.main.2.0.conv1.weight", "image_cleaning.1.bias",
                         "backward_resblocks.main.0.weight", "forward_resblocks.main.2.0.conv2.bias", "fusion.weight",
                         "upsample1.upsample_conv.weight", "upsample2.upsample_conv.bias", "conv_hr.weight", "conv_last.weight"] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        #expect(names.count == a.parameters.count)
        let shapes = Dictionary(uniqueKeysWithValues: a.parameters.map { ($0.name, $0.shape) })
        #expect(shapes["backward_resblocks.main.0.weight"] == [4, 7, 3, 3])
        #expect(shapes["fusion.weight"] == [4, 8, 1, 1])
        #expect(shapes["upsample1.upsample_conv.weight"] == [16, 4, 3, 3])
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
