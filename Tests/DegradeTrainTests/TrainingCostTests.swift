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
            let scale: Double = p.name.hasPrefix("upsample2") ? 4 : (p.name.hasPrefix("conv_hr") || p.name.hasPrefix("conv_last") ? 16 : 1)
            perFrame += 2 * Double(p.count) * lqPixels * scale
        }
        #expect(abs(cost.forwardFLOPs - perFrame * 20) / cost.forwardFLOPs < 1e-12)
        #expect(cost.parameterCount == net.parameters.reduce(0) { $0 + $1.count })
        // The reference figure for this shape is ~76 GFLOP per step (forward + backward).
        #expect((65e9...80e9).contains(cost.stepFLOPs))
    }
}
