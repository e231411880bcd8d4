import Foundation
import Testing
@testable import DegradeTrain

/// `degrade train --set`: overrides reach the config, are written with the run (`config.yaml`), and a resume
/// under other overrides is refused like a changed config.
@Suite("train --set")
struct TrainOverrides {
    @Test func overridesAreRecordedAndBindTheRun() throws {
        guard TrainCommandSafetyTests.built else { return }
        let (config, base) = try TrainCommandSafetyTests.workspace("set-override")
        let out = "\(base)/run"
        let first = try TrainCommandSafetyTests.degrade(["train", config, "--out", out, "--quiet", "--iterations", "2",
                                                         "--set", "network.channels=3", "--set", "checkpoint.every=2"])
        #expect(first.status == 0, "\(first.stderr)")
        let recorded = try String(contentsOfFile: "\(out)/config.yaml", encoding: .utf8)
        #expect(recorded.contains("--set network.channels=3") && recorded.contains("channels: 3"), "\(recorded)")
        #expect(FileManager.default.fileExists(atPath: "\(out)/ckpt-000002"))
        let other = try TrainCommandSafetyTests.degrade(["train", config, "--out", out, "--quiet", "--iterations", "4", "--resume",
                                                         "--set", "network.channels=4", "--set", "checkpoint.every=2"])
        #expect(other.status == 2 && other.stderr.contains("another train config"), "\(other.stderr)")
        let same = try TrainCommandSafetyTests.degrade(["train", config, "--out", out, "--quiet", "--iterations", "4", "--resume",
                                                        "--set", "network.channels=3", "--set", "checkpoint.every=2"])
        #expect(same.status == 0, "\(same.stderr)")
        let bad = try TrainCommandSafetyTests.degrade(["train", config, "--out", "\(base)/bad", "--set", "network.channels=0"])
        #expect(bad.status == 2 && bad.stderr.contains("--set #1 'network.channels=0': network.channels"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(base)/bad"))
    }
}
