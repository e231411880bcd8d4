import DegradeTensor
import Testing
@testable import DegradeTrain

@Suite("Overfitting one clip")
struct OverfitTests {
    @Test("a tiny network trained on one fixed clip lowers its loss at least 10×")
    func lossFalls() throws {
        var c = TrainFixtures.tinyConfig(iterations: 200)
        c.optimizer.lr = 1e-2
        let trainer = try TrainFixtures.trainer(c, out: try TrainFixtures.tempDir("overfit"), fixed: true)
        let first = try trainer.step().lossTotal
        var last = first
        for _ in 1..<c.iterations { last = try trainer.step().lossTotal }
        #expect(trainer.state.skipped == 0)
        #expect(last * 10 <= first, "loss went from \(first) to \(last)")
    }
}
