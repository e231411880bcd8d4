import DegradeEngine
import Foundation
import Testing
@testable import DegradeTrain

@Suite("Train config")
struct TrainConfigTests {
    let yaml = """
        name: t
        recipe: r.yaml
        max_fruitless_reloads: 4
        data: {source: {kind: pan, input: stills}, frames: 4, patch: 8}
        loss: {sharpened_gt: false}
        """

    @Test("the trainer's keys parse: fruitless reload limit, plain-GT target; the old poison test switch is gone")
    func keys() throws {
        let c = try TrainConfigParser.parse(yaml, file: "/x/train.yaml")
        #expect(c.maxFruitlessReloads == 4)
        #expect(c.loss.sharpenedGT == false)
        #expect(c.recipePath == "/x/r.yaml")
        let error = #expect(throws: RecipeError.self) {
            try TrainConfigParser.parse(yaml + "\npoison_iteration: 7\n", file: "/x/train.yaml")
        }
        #expect(error?.description.contains("poison_iteration") == true, "\(String(describing: error))")
    }

    @Test("pan_size and milestones must be whole numbers in range: 1e300 is an error, not a crash")
    func wholeNumbers() throws {
        for (text, key) in [("data: {source: {kind: pan, input: s, pan_size: [1e300, 64]}}", "pan_size"),
                            ("data: {source: {kind: pan, input: s, pan_size: [64.5, 64]}}", "pan_size"),
                            ("schedule: {kind: step, milestones: [100, .nan]}", "milestones"),
                            ("schedule: {kind: step, milestones: [-3]}", "milestones")] {
            let error = #expect(throws: RecipeError.self) { try TrainConfigParser.parse("name: t\nrecipe: r.yaml\n" + text + "\n", file: "/x/t.yaml") }
            #expect(error?.description.contains(key) == true, "\(text): \(String(describing: error))")
        }
    }

    @Test("checkpoints written before the poison switch left the config still match it (hash from the previous build)")
    func previousHash() throws {
        // 47ae2d324fc4be8 is what the build before this change wrote into state.json for this config (unpadded);
        // the paths are only hashed, never opened.
        let c = try TrainConfigParser.parse("""
            name: m
            recipe: /work/wt-train-safety/recipes/bicubic.yaml
            iterations: 6
            batch: 1
            data:
              source: {kind: pan, input: /work/wt-train-safety/datasets/sample, pan_frames: 4, pan_size: [96, 80]}
              frames: 3
              patch: 8
            network: {channels: 4, cleaning_blocks: 1, propagation_blocks: 1}
            checkpoint: {every: 2, keep: 2}
            max_consecutive_skips: 2
            max_fruitless_reloads: 5
            """, file: "/tmp/ts-manual/old.yaml")
        #expect(c.fingerprint == "047ae2d324fc4be8")
        var old = TrainState()
        old.configHash = "47ae2d324fc4be8"
        #expect(old.hasConfigHash(c.fingerprint))
        old.configHash = "47ae2d324fc4be9"
        #expect(!old.hasConfigHash(c.fingerprint))
    }

    @Test("the config hash is always 16 hex digits, zero-padded")
    func hashPadding() throws {
        // Search configs until one hashes below 2^60 (1 in 16 does): its hex form needs the padding.
        var found = false
        for seed in 0..<2000 {
            var c = try TrainConfigParser.parse(yaml, file: "/x/train.yaml")
            c.seed = UInt64(seed)
            let hash = c.fingerprint
            #expect(hash.count == 16 && UInt64(hash, radix: 16) != nil, "\(hash)")
            if hash.hasPrefix("0") { found = true; break }
        }
        #expect(found)
    }

    @Test("the fingerprint ignores iterations, threads, workers, checkpoint cadence, the reload limit and formatting, not the training setup")
    func fingerprint() throws {
        let c = try TrainConfigParser.parse(yaml, file: "/x/train.yaml")
        var longer = c
        longer.iterations = 5000
        longer.maxFruitlessReloads = 9
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
