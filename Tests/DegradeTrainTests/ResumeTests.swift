import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

@Suite("Resume")
struct ResumeTests {
    @Test("stopping at k and resuming to n gives bitwise the weights of an uninterrupted run", arguments: [Alignment.none, .spynet])
    func inProcess(alignment: Alignment) throws {
        var c = TrainFixtures.config(alignment, iterations: 8)
        c.checkpoint.every = 100
        c.schedule.kind = .cosine
        c.schedule.warmup = 2
        let poisoned: (Int) -> Bool = { $0 == 4 }  // a skip on both paths
        let whole = try TrainFixtures.trainer(c, out: try TrainFixtures.tempDir("whole"), poisoned: poisoned)
        #expect(try whole.run(until: 8) == .finished)

        let out = try TrainFixtures.tempDir("split")
        let first = try TrainFixtures.trainer(c, out: out, poisoned: poisoned)
        var calls = 0
        #expect(try first.run(until: 8, stop: { calls += 1; return calls > 5 }) == .stopped)
        #expect(first.state.iteration == 5)
        let second = try TrainFixtures.trainer(c, out: out, resume: true, poisoned: poisoned)
        #expect(second.state.iteration == 5)
        #expect(try second.run(until: 8) == .finished)
        #expect(TrainFixtures.values(second.network.parameters) == TrainFixtures.values(whole.network.parameters))
        #expect(second.ema.averages.map(\.scalars) == whole.ema.averages.map(\.scalars))
        #expect(TrainFixtures.adamMoments(second.adam) == TrainFixtures.adamMoments(whole.adam))
        #expect(second.state == whole.state)
    }
}
