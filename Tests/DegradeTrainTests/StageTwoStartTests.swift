import Foundation
import Testing
@testable import DegradeTrain

/// `init_from`: a fresh run starts from another run's EMA generator (stage 2 from stage 1).
@Suite struct StageTwoStart {
    @Test func freshRunStartsFromTheStageOneEMAWeights() throws {
        let dir = try TrainFixtures.tempDir("init-from")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stageOne = TrainFixtures.tinyConfig(iterations: 3)
        let first = try TrainFixtures.trainer(stageOne, out: "\(dir)/s1")
        _ = try first.run(until: 3, stop: { false }, progress: { _ in })
        let saved = try RealBasicVSRNet.load(checkpoint: "\(dir)/s1")

        var stageTwo = TrainFixtures.tinyConfig(iterations: 3)
        stageTwo.seed = 99  // a different init, so equality below can only come from init_from
        stageTwo.initFrom = "\(dir)/s1"
        let second = try TrainFixtures.trainer(stageTwo, out: "\(dir)/s2")
        #expect(TrainFixtures.values(second.network.parameters) == TrainFixtures.values(saved.parameters))

        var wrongShape = stageTwo
        wrongShape.network.channels += 2
        #expect(throws: (any Error).self) { try TrainFixtures.trainer(wrongShape, out: "\(dir)/s3") }
    }
}
