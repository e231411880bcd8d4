import Foundation
import Testing

/// `degrade recipe import` as a real process: the recipe it writes is one `plan` reads, the report goes where
/// the help says, and bad input exits 2 without writing anything.
@Suite struct RecipeImportCommand {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DegradeEngineTests/Fixtures/import").path

    @Test func writesARecipeThePlannerReads() throws {
        let dir = try RenderFixtures.tempDir("import-cli")
        let out = "\(dir)/rbvsr.yaml"
        let r = try DegradeCLI.run(["recipe", "import", "\(Self.fixtures)/realbasicvsr_stage1.py", "--out", out, "--report"], logDir: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("exact:") && r.stdout.contains("not supported:") && r.stdout.contains("realbasicvsr_stage1.py:4: statement"))
        let plan = try DegradeCLI.run(["plan", out, "--seed", "1"], logDir: dir)
        #expect(plan.status == 0 && plan.stdout.contains("\"frameCount\" : 30"), "\(plan.stderr)")
        // Without --out the recipe goes to stdout and the report to stderr.
        let printed = try DegradeCLI.run(["recipe", "import", "\(Self.fixtures)/realesrgan_x4plus_options.yml", "--report"], logDir: dir)
        #expect(printed.status == 0 && printed.stdout.hasPrefix("# Imported by") && printed.stderr.contains("different:"))
    }

    @Test func badInputExitsTwoAndWritesNothing() throws {
        let dir = try RenderFixtures.tempDir("import-cli-bad")
        try "train_pipeline = [dict(type='RandomNoise', params=dict(gaussian_sigma=[30, 1]))]\n"
            .write(toFile: "\(dir)/bad.py", atomically: true, encoding: .utf8)
        let bad = try DegradeCLI.run(["recipe", "import", "\(dir)/bad.py", "--out", "\(dir)/bad.yaml"], logDir: dir)
        #expect(bad.status == 2 && bad.stderr.contains("bad.py") && bad.stderr.contains("gaussian_sigma (line 1)"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/bad.yaml"))
        let notConfig = try DegradeCLI.run(["recipe", "import", "\(dir)/stdout.txt"], logDir: dir)
        #expect(notConfig.status == 2, "\(notConfig.stderr)")
        // The import would replace its own source: refused.
        try "train_pipeline = [dict(type='Quantize')]\n".write(toFile: "\(dir)/good.py", atomically: true, encoding: .utf8)
        let overwrite = try DegradeCLI.run(["recipe", "import", "\(dir)/good.py", "--out", "\(dir)/good.py"], logDir: dir)
        #expect(overwrite.status == 2, "\(overwrite.stderr)")
        #expect((try String(contentsOfFile: "\(dir)/good.py", encoding: .utf8)).hasPrefix("train_pipeline"))
    }
}
