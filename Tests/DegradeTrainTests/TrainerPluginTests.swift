import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

/// Counts generator updates in a checkpointed tensor and adds a small MSE term.
final class CountingPlugin: TrainerPlugin {
    let name = "counting"
    var updates: Float = 0
    func generatorLoss(output: Tensor, target: Tensor) -> Tensor? { Loss.mse(output, target) * 0.5 }
    func afterGeneratorStep(output: Tensor, target: Tensor) throws {
        #expect(!output.requiresGradient)
        updates += 1
    }
    func checkpointTensors() -> SafeTensors { SafeTensors(tensors: ["updates": .init(shape: [1], values: [updates])]) }
    func load(checkpointTensors: SafeTensors) throws {
        guard let e = checkpointTensors.tensors["updates"] else { throw TrainError("no updates tensor") }
        updates = e.values[0]
    }
}

@Suite("Trainer plugins")
struct TrainerPluginTests {
    @Test("a plugin's loss is added and logged, its update skips poisoned steps, its state is checkpointed")
    func plugin() throws {
        let c = TrainFixtures.tinyConfig(iterations: 4)
        let out = try TrainFixtures.tempDir("plugin")
        let plugin = CountingPlugin()
        let t = try Trainer(config: c, outputFolder: out, resume: false, plugins: [plugin]) {
            TrainFixtures.SyntheticSource(config: c, cursor: $0, poisoned: { $0 == 2 })
        }
        let first = try t.step()
        #expect(first.lossTotal > first.lossPixel + first.lossClean)
        _ = try t.run(until: 4)
        #expect(plugin.updates == 3)
        let log = try String(contentsOfFile: "\(out)/metrics.jsonl", encoding: .utf8)
        #expect(log.contains("\"loss_counting\""))
        let restored = CountingPlugin()
        _ = try Trainer(config: c, outputFolder: out, resume: true, plugins: [restored]) {
            TrainFixtures.SyntheticSource(config: c, cursor: $0)
        }
        #expect(restored.updates == 3)
        // A checkpoint without its plugin file is damaged: resuming falls back to the previous one, saying why.
        try FileManager.default.removeItem(atPath: "\(out)/ckpt-000004/counting.safetensors")
        var notices: [String] = []
        let fallback = CountingPlugin()
        let resumed = try Trainer(config: c, outputFolder: out, resume: true, plugins: [fallback], notice: { notices.append($0) }) {
            TrainFixtures.SyntheticSource(config: c, cursor: $0)
        }
        #expect(resumed.state.iteration == 0 && fallback.updates == 0)
        #expect(notices.contains { $0.contains("ckpt-000004/counting.safetensors") && $0.contains("missing") }, "\(notices)")
    }
}
