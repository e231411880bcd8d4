import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

@Suite("Non-finite steps")
struct NonFiniteStepTests {
    @Test("a poisoned batch skips exactly that step without touching weights, EMA or Adam; training continues",
          arguments: [Alignment.none, .spynet])
    func skipOne(alignment: Alignment) throws {
        let c = TrainFixtures.config(alignment)
        let out = try TrainFixtures.tempDir("poison")
        let trainer = try TrainFixtures.trainer(c, out: out, poisoned: { $0 == 3 })
        for _ in 0..<2 { #expect(try !trainer.step().skipped) }
        let weights = TrainFixtures.values(trainer.network.parameters)
        let moments = TrainFixtures.adamMoments(trainer.adam)
        let steps = trainer.adam.state.steps
        let averages = trainer.ema.averages.map(\.scalars)
        let poisoned = try trainer.step()
        #expect(poisoned.skipped && poisoned.iteration == 3)
        #expect(!poisoned.lossTotal.isFinite)
        #expect(poisoned.keys == ["synthetic-2"])
        #expect(TrainFixtures.values(trainer.network.parameters) == weights)
        #expect(TrainFixtures.adamMoments(trainer.adam) == moments)
        #expect(trainer.adam.state.steps == steps)
        #expect(trainer.ema.averages.map(\.scalars) == averages)
        #expect(trainer.state.skipped == 1)
        let next = try trainer.step()
        #expect(!next.skipped && next.lossTotal.isFinite)
        #expect(TrainFixtures.values(trainer.network.parameters) != weights)
        #expect(trainer.state.skipped == 1 && trainer.state.consecutiveSkips == 0)
        let log = try String(contentsOfFile: "\(out)/metrics.jsonl", encoding: .utf8)
        #expect(log.contains("\"event\":\"skip\"") && log.contains("synthetic-2"))
    }

    @Test("K consecutive poisoned steps reload the last checkpoint and halve the LR")
    func reloadAfterK() throws {
        var c = TrainFixtures.tinyConfig(iterations: 20)
        c.checkpoint.every = 2
        let out = try TrainFixtures.tempDir("reload")
        let trainer = try TrainFixtures.trainer(c, out: out, poisoned: { (5...7).contains($0) })  // 3 = maxConsecutiveSkips
        var notices: [String] = []
        trainer.notice = { notices.append($0) }
        var records: [StepRecord] = []
        _ = try trainer.run(until: 4, progress: { records.append($0) })
        let atCheckpoint = TrainFixtures.values(trainer.network.parameters)
        for _ in 5...7 { records.append(try trainer.step()) }
        #expect(records.map(\.skipped) == [false, false, false, false, true, true, true])
        #expect(records.last!.reloaded)
        #expect(trainer.state.reloads == 1 && trainer.state.lrScale == 0.5 && trainer.state.skipped == 3)
        #expect(TrainFixtures.values(trainer.network.parameters) == atCheckpoint)
        #expect(notices.contains { $0.contains("reloaded") && $0.contains("ckpt-000004") })
        let next = try trainer.step()
        #expect(!next.skipped)
        #expect(next.learningRate == trainer.schedule.rate(at: 7) * 0.5)
        #expect(trainer.state.iteration == 8)
    }
}
