import DegradeTensor
import Testing
@testable import DegradeTrain

@Suite struct StageTwoPlugins {
    func frames(_ seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        return Tensor.uniform([2, 3, 16, 16], using: &rng)
    }

    @Test func ganPluginTrainsItsDiscriminatorAndCheckpointsItExactly() throws {
        let gan = GANPlugin(channels: 4, weight: 0.05, learningRate: 1e-3, beta1: 0.9, beta2: 0.99, seed: 3)
        let before = gan.checkpointTensors()
        let loss = try #require(gan.generatorLoss(output: frames(1), target: frames(2)))
        #expect(loss.scalar.isFinite && loss.scalar > 0)
        try gan.afterGeneratorStep(output: frames(1), target: frames(2))
        let after = gan.checkpointTensors()
        #expect(after != before)  // the discriminator took a step and Adam has state
        let restored = GANPlugin(channels: 4, weight: 0.05, learningRate: 1e-3, beta1: 0.9, beta2: 0.99, seed: 99)
        try restored.load(checkpointTensors: after)
        #expect(restored.checkpointTensors() == after)
        // Both take the same next step from the same state.
        try gan.afterGeneratorStep(output: frames(4), target: frames(5))
        try restored.afterGeneratorStep(output: frames(4), target: frames(5))
        #expect(restored.checkpointTensors() == gan.checkpointTensors())
    }

    @Test func ganStateWithoutAdamIsRefused() throws {
        let gan = GANPlugin(channels: 4, weight: 0.05, learningRate: 1e-3, beta1: 0.9, beta2: 0.99, seed: 3)
        var state = gan.checkpointTensors()
        state.tensors["adam.steps"] = nil
        #expect(throws: TrainError.self) { try gan.load(checkpointTensors: state) }
    }
}
