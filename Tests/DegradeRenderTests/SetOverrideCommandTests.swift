import DegradeEngine
import Foundation
import Testing
@testable import DegradeRender

/// `--set KEY.PATH=VALUE` on the commands that read a recipe, run as real processes: the override reaches the
/// plan, a bad one exits 2 naming the option, and renders record the effective recipe so a resume under other
/// overrides is refused like a changed recipe.
@Suite struct SetOverrideCommands {
    static func setUp(_ label: String) throws -> (dir: String, recipe: String, stills: String) {
        let dir = try RenderFixtures.tempDir(label)
        let stills = try RenderFixtures.stillsFolder(count: 1, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        return (dir, recipe, stills)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func planTakesTheOverride() throws {
        let s = try Self.setUp("set-plan")
        let plain = try DegradeCLI.run(["plan", s.recipe, "--seed", "3"], logDir: s.dir)
        let set = try DegradeCLI.run(["plan", s.recipe, "--seed", "3", "--set", "frames=2", "--set", "pipeline.3.video.codec=[mpeg4]"], logDir: s.dir)
        #expect(plain.status == 0 && set.status == 0, "\(plain.stderr)\(set.stderr)")
        let a = try Self.json(plain.stdout), b = try Self.json(set.stdout)
        #expect(a["frameCount"] as? Int == 4 && b["frameCount"] as? Int == 2)
        #expect(a["recipeHash"] as? String != b["recipeHash"] as? String, "the overrides are part of the recipe identity")
        let bad = try DegradeCLI.run(["plan", s.recipe, "--set", "frames=2", "--set", "pipeline.0.blur.sigma_x=[3, 1]"], logDir: s.dir)
        #expect(bad.status == 2 && bad.stderr.contains("--set #2 'pipeline.0.blur.sigma_x=[3, 1]': pipeline[0].blur.sigma_x"), "\(bad.stderr)")
        let path = try DegradeCLI.run(["plan", s.recipe, "--set", "pipeline.9.blur.prob=1"], logDir: s.dir)
        #expect(path.status == 2 && path.stderr.contains("--set #1") && path.stderr.contains("past the end"), "\(path.stderr)")
    }

    @Test func renderRecordsOverridesAndRefusesOthersOnResume() throws {
        let s = try Self.setUp("set-render")
        let out = "\(s.dir)/set"
        let base = ["render", s.recipe, "--input", s.stills, "--source", "pan", "--seed", "1", "--out", out, "--quiet", "--jobs", "1"]
        let first = try DegradeCLI.run(base + ["--set", "frames=2"], logDir: s.dir)
        #expect(first.status == 0, "\(first.stderr)")
        let catalog = try RenderCatalog(path: "\(out)/index.sqlite")
        let run = try #require(try catalog.run())
        #expect(run.recipeText.contains("--set frames=2") && run.recipeText.contains("frames: 2"))
        let again = try DegradeCLI.run(base + ["--set", "frames=2"], logDir: s.dir)
        #expect(again.status == 0, "same overrides: the set is complete, nothing to redo (\(again.stderr))")
        let other = try DegradeCLI.run(base + ["--set", "frames=3"], logDir: s.dir)
        #expect(other.status == 2 && other.stderr.contains("recipe"), "\(other.stderr)")
        let none = try DegradeCLI.run(base, logDir: s.dir)
        #expect(none.status == 2, "no overrides is another recipe too: \(none.stderr)")
    }

    @Test func previewAndAuditTakeOverrides() throws {
        let s = try Self.setUp("set-preview")
        let preview = try DegradeCLI.run(["preview", s.recipe, "--input", s.stills, "--source", "pan", "--samples", "1", "--out", "\(s.dir)/p",
                                          "--quiet", "--set", "frames=2"], logDir: s.dir)
        #expect(preview.status == 0, "\(preview.stderr)")
        let badPreview = try DegradeCLI.run(["preview", s.recipe, "--input", s.stills, "--source", "pan", "--out", "\(s.dir)/p2",
                                             "--set", "crop.size=0"], logDir: s.dir)
        #expect(badPreview.status == 2 && badPreview.stderr.contains("--set #1 'crop.size=0'"), "\(badPreview.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(s.dir)/p2"))
        let audit = try DegradeCLI.run(["audit", s.recipe, "--samples", "40", "--out", "\(s.dir)/a", "--json",
                                        "--set", "pipeline.2.noise.gaussian_sigma=[7, 7]"], logDir: s.dir)
        #expect(audit.status == 0, "\(audit.stderr)")
        // The audited recipe is the overridden one: its hash is the one `plan` reports under the same override.
        let plan = try DegradeCLI.run(["plan", s.recipe, "--set", "pipeline.2.noise.gaussian_sigma=[7, 7]"], logDir: s.dir)
        let hash = try #require(try Self.json(plan.stdout)["recipeHash"] as? String)
        let plainHash = try #require(try Self.json(try DegradeCLI.run(["plan", s.recipe], logDir: s.dir).stdout)["recipeHash"] as? String)
        let report = try String(contentsOfFile: "\(s.dir)/a/report.json", encoding: .utf8)
        #expect(hash != plainHash && report.contains(hash) && !report.contains(plainHash))
        let badAudit = try DegradeCLI.run(["audit", s.recipe, "--samples", "40", "--out", "\(s.dir)/a2", "--set", "pipeline.2.noise.bogus=1"], logDir: s.dir)
        #expect(badAudit.status == 2 && badAudit.stderr.contains("--set #1") && badAudit.stderr.contains("unknown key"), "\(badAudit.stderr)")
    }

    @Test func benchTakesTheOverride() throws {
        let s = try Self.setUp("set-bench")
        let ok = try DegradeCLI.run(["bench", "--audit", "--recipe", s.recipe, "--audit-samples", "20", "--audit-clips", "20",
                                     "--set", "frames=2"], logDir: s.dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        let bad = try DegradeCLI.run(["bench", "--audit", "--recipe", s.recipe, "--audit-samples", "20", "--audit-clips", "20",
                                      "--set", "frames=0"], logDir: s.dir)
        #expect(bad.status == 2 && bad.stderr.contains("--set #1 'frames=0': frames"), "\(bad.stderr)")
    }

    @Test func applyReplaysAPlanOfTheSameOverrides() throws {
        let s = try Self.setUp("set-apply")
        let plan = try DegradeCLI.run(["plan", s.recipe, "--input", s.stills, "--source", "pan", "--seed", "2", "--set", "frames=2"], logDir: s.dir)
        #expect(plan.status == 0, "\(plan.stderr)")
        try plan.stdout.write(toFile: "\(s.dir)/plan.json", atomically: true, encoding: .utf8)
        let same = try DegradeCLI.run(["apply", s.recipe, "--input", s.stills, "--source", "pan", "--plan", "\(s.dir)/plan.json",
                                       "--out", "\(s.dir)/o1", "--set", "frames=2"], logDir: s.dir)
        #expect(same.status == 0, "\(same.stderr)")
        let without = try DegradeCLI.run(["apply", s.recipe, "--input", s.stills, "--source", "pan", "--plan", "\(s.dir)/plan.json",
                                          "--out", "\(s.dir)/o2"], logDir: s.dir)
        #expect(without.status == 2 && without.stderr.contains("different recipe"), "\(without.stderr)")
    }
}
