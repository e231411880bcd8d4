import Foundation
import Testing
@testable import DegradeTrain

@Suite("Training cost estimate")
struct TrainingCostTests {
    @Test("forward FLOPs equal 2 × weights × output pixels summed over the network's actual convolutions")
    func flops() {
        var c = TrainConfig(name: "fixed", recipePath: "r")
        c.network = .init(channels: 32, cleaningBlocks: 4, propagationBlocks: 4)
        c.batch = 2
        c.data.frames = 10
        c.data.patch = 32
        let cost = TrainingCost(config: c)
        let net = RealBasicVSRNet(configuration: c.network, seed: 0)
        let lqPixels = Double(32 * 32)
        var perFrame = 0.0
        for p in net.parameters where p.name.hasSuffix(".weight") {
            let scale: Double = p.name.hasPrefix("basicvsr.upsample2") ? 4
                : (p.name.hasPrefix("basicvsr.conv_hr") || p.name.hasPrefix("basicvsr.conv_last") ? 16 : 1)
            perFrame += 2 * Double(p.count) * lqPixels * scale
        }
        #expect(abs(cost.forwardFLOPs - perFrame * 20) / cost.forwardFLOPs < 1e-12)
        #expect(cost.parameterCount == net.parameters.reduce(0) { $0 + $1.count })
        // ~76 GFLOP per step with the upsampling 32 wide (the figure); mmagic's 64-wide layout: ~147.
        #expect((140e9...155e9).contains(cost.stepFLOPs))
        var narrow = c
        narrow.network.hrChannels = 32
        #expect((65e9...80e9).contains(TrainingCost(config: narrow).stepFLOPs))
    }

    @Test("SPyNet adds its 7×7 convs over the 6-level pyramid for two flows per neighbouring pair, ~2.6 GFLOP each at 64²")
    func alignedFLOPs() {
        var c = TrainConfig(name: "aligned", recipePath: "r")
        c.network = .init(channels: 32, cleaningBlocks: 4, propagationBlocks: 4)
        c.batch = 2
        c.data.frames = 10
        c.data.patch = 64
        var aligned = c
        aligned.network.alignment = .spynet
        let extra = TrainingCost(config: aligned).forwardFLOPs - TrainingCost(config: c).forwardFLOPs
        let net = RealBasicVSRNet(configuration: aligned.network, seed: 0)
        let pyramid = (0..<6).reduce(0.0) { $0 + Double(64 * 64) / pow(4, Double($1)) }
        let perPair = net.flowParameters.filter { $0.name.hasSuffix(".weight") }.reduce(0.0) { $0 + 2 * Double($1.count) } / 6 * pyramid
        #expect(abs(extra - perPair * 2 * 9 * 2) / extra < 1e-9)
        #expect((2.5e9...2.7e9).contains(perPair))
        #expect(TrainingCost(config: aligned).activationBytes > TrainingCost(config: c).activationBytes)
    }
}
