import Foundation
import Testing
@testable import DegradeTrain

@Suite("Train config")
struct TrainConfigTests {
    let yaml = """
        name: t
        recipe: r.yaml
        poison_iteration: 7
        poison_count: 3
        data: {source: {kind: pan, input: stills}, frames: 4, patch: 8}
        loss: {sharpened_gt: false}
        """

    @Test("the trainer's keys parse: poison switch, plain-GT target")
    func keys() throws {
        let c = try TrainConfigParser.parse(yaml, file: "/x/train.yaml")
        #expect(c.poisonIteration == 7 && c.poisonCount == 3)
        #expect(c.loss.sharpenedGT == false)
        #expect(c.recipePath == "/x/r.yaml")
    }

    @Test("the fingerprint ignores iterations, threads, workers, checkpoint cadence, the poison switch and formatting, not the training setup")
    func fingerprint() throws {
        let c = try TrainConfigParser.parse(yaml, file: "/x/train.yaml")
        var longer = c
        longer.iterations = 5000
        longer.poisonIteration = nil
        longer.threads = 2
        longer.data.workers = 3
        longer.checkpoint.every = 7
        #expect(longer.fingerprint == c.fingerprint)
        let reformatted = try TrainConfigParser.parse("# comment\n" + yaml.replacingOccurrences(of: "frames: 4", with: "frames:   4"), file: "/x/train.yaml")
        #expect(reformatted.fingerprint == c.fingerprint)
        var other = c
        other.data.patch = 16
        #expect(other.fingerprint != c.fingerprint)
    }
}

@Suite("Train config paths")
struct TrainConfigPathTests {
    @Test("paths resolve against the config's folder, also for a cwd-relative config path with ..")
    func relative() throws {
        let c = try TrainConfigParser.parse("name: t\nrecipe: r.yaml\ndata: {source: {kind: pan, input: ../datasets/sample}}\n",
                                            file: "recipes/train.yaml")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(c.recipePath == URL(fileURLWithPath: "\(cwd)/recipes/r.yaml").standardized.path)
        #expect(c.data.source?.path == URL(fileURLWithPath: "\(cwd)/datasets/sample").standardized.path)
    }
}
