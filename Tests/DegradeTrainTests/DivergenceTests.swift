import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

/// A stage-2 plugin whose own state turns non-finite after its second update (as a diverging discriminator's would).
final class OverflowingPlugin: TrainerPlugin {
    let name = "overflowing"
    var updates: Float = 0
    func generatorLoss(output: Tensor, target: Tensor) -> Tensor? { nil }
    func afterGeneratorStep(output: Tensor, target: Tensor) throws { updates += 1 }
    func checkpointTensors() -> SafeTensors {
        SafeTensors(tensors: ["state": .init(shape: [1], values: [updates >= 2 ? .infinity : updates])])
    }
    func load(checkpointTensors: SafeTensors) throws { updates = checkpointTensors.tensors["state"]?.values.first ?? 0 }
}

/// Runs that cannot make progress stop instead of halving the LR forever, and never lose the last good state.
@Suite("Training that makes no progress")
struct DivergenceTests {
    @Test("every step non-finite: K fruitless reloads, then TrainingDiverged naming the last good checkpoint, which rotation kept")
    func everyStepNonFinite() throws {
        var c = TrainFixtures.tinyConfig(iterations: 100)
        c.maxConsecutiveSkips = 2
        c.maxFruitlessReloads = 3
        c.checkpoint.every = 1
        c.checkpoint.keep = 1
        let out = try TrainFixtures.tempDir("diverge")
        let trainer = try TrainFixtures.trainer(c, out: out, poisoned: { $0 > 2 })
        _ = try trainer.run(until: 2)
        let good = "\(out)/ckpt-000002"
        let goodBytes = try Data(contentsOf: URL(fileURLWithPath: "\(good)/\(CheckpointStore.generatorFile)"))
        let error = #expect(throws: TrainingDiverged.self) { try trainer.run(until: 100) }
        // 3 reloads, each followed by 2 skips; the 4th run of skips ends the run.
        #expect(trainer.state.reloads == 3 && trainer.state.iteration == 2 + 2 * 4)
        #expect(trainer.state.lrScale == 0.125)
        #expect(error?.lastGood == good)
        #expect(error?.message.contains("the last good checkpoint is \(good)") == true, "\(String(describing: error))")
        // Checkpoints written during the skips were rotated (keep: 1), the good one was not.
        let left = CheckpointStore.list(in: out).map(\.iteration)
        #expect(left.contains(2) && left.count == 2, "\(left)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(good)/\(CheckpointStore.generatorFile)")) == goodBytes)
        #expect(CheckpointStore.knownGood(in: out) == [good])
        let log = try String(contentsOfFile: "\(out)/metrics.jsonl", encoding: .utf8)
        #expect(log.contains("\"event\":\"diverged\""))
    }

    @Test("a run whose every step was skipped fails even before a reload; one ending right after a reload fails too")
    func noProgressAtTheEnd() throws {
        var c = TrainFixtures.tinyConfig(iterations: 4)
        c.maxConsecutiveSkips = 3
        let out = try TrainFixtures.tempDir("noprogress")
        let first = try TrainFixtures.trainer(c, out: out, poisoned: { $0 > 1 })
        _ = try first.run(until: 1)
        let allSkipped = #expect(throws: TrainingDiverged.self) { try first.run(until: 3) }
        #expect(allSkipped?.message.contains("all 2 steps of this run were non-finite") == true, "\(String(describing: allSkipped))")

        let second = try TrainFixtures.trainer(c, out: try TrainFixtures.tempDir("endreload"), poisoned: { $0 >= 2 && $0 <= 4 })
        let afterReload = #expect(throws: TrainingDiverged.self) { try second.run(until: 4) }
        #expect(second.state.reloads == 1)
        #expect(afterReload?.message.contains("after reloading") == true, "\(String(describing: afterReload))")
        #expect(CheckpointStore.list(in: second.outputFolder).last?.iteration == 4)  // the final checkpoint is still written
    }

    @Test("an update that overflows the weights (extreme LR) reloads at once; every checkpoint on disk stays finite")
    func overflowingUpdate() throws {
        var c = TrainFixtures.tinyConfig(iterations: 50)
        c.optimizer.lr = 1e39                  // Float(lr) is inf: every update makes the weights non-finite
        c.checkpoint.every = 1
        c.maxConsecutiveSkips = 5
        c.maxFruitlessReloads = 2
        let out = try TrainFixtures.tempDir("overflow")
        var notices: [String] = []
        let trainer = try TrainFixtures.trainer(c, out: out, notice: { notices.append($0) })
        let error = #expect(throws: TrainingDiverged.self) { try trainer.run(until: 50) }
        #expect(trainer.state.iteration == 3 && trainer.state.reloads == 2)
        #expect(error?.lastGood == "\(out)/ckpt-000000")
        #expect(notices.contains { $0.contains("iteration 1: non-finite weights after the update") }, "\(notices)")
        #expect(notices.contains { $0.contains("a non-finite update: reloaded \(out)/ckpt-000000") }, "\(notices)")
        for ckpt in CheckpointStore.list(in: out) {
            let net = try RealBasicVSRNet.load(checkpoint: ckpt.path)  // refuses non-finite values
            #expect(net.parameters.allSatisfy { $0.value.scalars.allSatisfy(\.isFinite) })
        }
        #expect(CheckpointStore.knownGood(in: out) == ["\(out)/ckpt-000000"])
    }

    @Test("a checkpoint is only written from a finite state: a NaN weight writes nothing and says so")
    func refuseNonFiniteCheckpoint() throws {
        let c = TrainFixtures.tinyConfig(iterations: 5)
        let out = try TrainFixtures.tempDir("refuse")
        var notices: [String] = []
        let trainer = try TrainFixtures.trainer(c, out: out, notice: { notices.append($0) })
        _ = try trainer.step()
        let p = trainer.network.parameters[0]
        var values = p.value.scalars
        values[0] = .nan
        p.assign(Tensor(shape: p.shape, scalars: values))
        #expect(try trainer.checkpoint() == nil)
        #expect(CheckpointStore.list(in: out).map(\.iteration) == [0])
        #expect(!FileManager.default.fileExists(atPath: "\(out)/.tmp-ckpt-000001"))
        #expect(trainer.lastGood == "\(out)/ckpt-000000")
        #expect(notices.contains { $0.contains("iteration 1: no checkpoint written") && $0.contains(p.name) && $0.contains("ckpt-000000") }, "\(notices)")
        let log = try String(contentsOfFile: "\(out)/metrics.jsonl", encoding: .utf8)
        #expect(log.contains("\"event\":\"checkpoint_refused\""))
    }

    @Test("a reload passes over a damaged known-good checkpoint to an older intact one")
    func reloadSkipsDamage() throws {
        var c = TrainFixtures.tinyConfig(iterations: 20)
        c.maxConsecutiveSkips = 2
        c.checkpoint.every = 2
        let out = try TrainFixtures.tempDir("reload-damaged")
        var notices: [String] = []
        let trainer = try TrainFixtures.trainer(c, out: out, poisoned: { $0 == 5 || $0 == 6 }, notice: { notices.append($0) })
        _ = try trainer.run(until: 4)
        try TrainFixtures.flipBit("\(out)/ckpt-000004/\(CheckpointStore.generatorFile)")
        for _ in 5...6 { _ = try trainer.step() }
        #expect(notices.contains { $0.contains("cannot reload \(out)/ckpt-000004") && $0.contains("checksum") }, "\(notices)")
        #expect(notices.contains { $0.contains("reloaded \(out)/ckpt-000002") }, "\(notices)")
        #expect(trainer.lastGood == "\(out)/ckpt-000002")
    }

    @Test("when the final state cannot be written (a plugin's state is non-finite) the run fails instead of reporting success")
    func finalStateNotWritten() throws {
        let c = TrainFixtures.tinyConfig(iterations: 3)
        let out = try TrainFixtures.tempDir("final-refused")
        let t = try Trainer(config: c, outputFolder: out, resume: false, plugins: [OverflowingPlugin()]) {
            TrainFixtures.SyntheticSource(config: c, cursor: $0)
        }
        let error = #expect(throws: TrainingDiverged.self) { try t.run(until: 3) }
        #expect(error?.message.contains("the state at the last iteration, 3, holds non-finite values") == true, "\(String(describing: error))")
        #expect(error?.lastGood == "\(out)/ckpt-000000")
        #expect(CheckpointStore.list(in: out).map(\.iteration) == [0])
    }
}
