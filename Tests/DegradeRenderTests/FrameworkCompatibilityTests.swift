import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// Sets rendered by every shipped recipe pass a model of the BasicSR / mmedit / mmagic dataset contracts
/// (`Fixtures/framework_contract.py`): paths, names, meta_info fields and GT = scale × LQ.
@Suite(.serialized) struct FrameworkCompatibility {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let contract = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/framework_contract.py").path

    static func python() throws -> String {
        let candidates = ["/usr/bin/python3", "/usr/local/bin/python3"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "python3 runs the contract model")
    }

    /// Runs the contract model on one root; returns (exit status, report).
    static func check(_ root: String, scale: Int) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try python())
        p.arguments = [contract, root, String(scale)]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Large enough for realbasicvsr's 256 crop; 320×256 so a quarter is whole.
    static func stills(in dir: String) throws -> String {
        let folder = "\(dir)/stills"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for i in 1...2 { try ImageFile.writePNG(RenderFixtures.still(i, width: 400, height: 300), to: "\(folder)/p\(i).png") }
        return folder
    }

    @Test func everyShippedRecipeRendersASetTheFrameworksRead() throws {
        let dir = try RenderFixtures.tempDir("frameworks")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try Self.stills(in: dir)
        let recipes = try FileManager.default.contentsOfDirectory(atPath: Self.repo.appendingPathComponent("recipes").path)
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("train-") }.sorted()
        #expect(recipes.count >= 6, "\(recipes)")
        for name in recipes {
            let path = Self.repo.appendingPathComponent("recipes/\(name)").path
            let recipe = try RecipeParser.load(path)
            let out = "\(dir)/\(name)"
            var args = ["render", path, "--input", stills, "--source", "pan", "--pan-frames", "4", "--pan-size", "320x256",
                        "--out", out, "--jobs", "2", "--quiet", "--clips", "p1@pan"]
            if recipe.clip.frames.map({ $0 > 1 }) ?? false { args += ["--frames", "3"] }
            let r = try DegradeCLI.run(args, logDir: dir)
            try #require(r.status == 0, "\(name): \(r.stderr)")
            let (status, report) = try Self.check(out, scale: recipe.scale)
            #expect(status == 0, "\(name): \(report)")
            #expect(report.contains("\"ok\""), "\(name): no check applied: \(report)")
        }
    }

    /// The other meta_info forms and `--repeat` roots pass the contracts of the frameworks that read them.
    @Test func metaInfoFormsAndVariantRootsPassTheirContracts() throws {
        let dir = try RenderFixtures.tempDir("frameworks-forms")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        for (extra, roots, expected) in [(["--meta-info-format", "mmedit"], [""], "mmedit_folder\": \"ok"),
                                         (["--meta-info-format", "mmagic"], [""], "mmagic_frames\": \"ok"),
                                         (["--repeat", "2"], ["variant-0/", "variant-1/"], "basicsr_video\": \"ok")] {
            let out = "\(dir)/out-\(extra.joined())"
            let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, extra: extra), logDir: dir)
            try #require(r.status == 0, "\(extra): \(r.stderr)")
            for root in roots {
                let (status, report) = try Self.check("\(out)/\(root)", scale: 2)
                #expect(status == 0 && report.contains(expected), "\(extra) \(root): \(report)")
            }
            #expect(try DegradeCLI.run(["verify", out], logDir: dir).status == 0)
        }
    }

    /// The model is not a rubber stamp: a GT that is not scale × LQ and a missing frame fail it.
    @Test func theContractModelRejectsBrokenSets() throws {
        let dir = try RenderFixtures.tempDir("frameworks-broken")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func write(_ rel: String, _ w: Int, _ h: Int) throws {
            try FileManager.default.createDirectory(atPath: "\(dir)/\((rel as NSString).deletingLastPathComponent)", withIntermediateDirectories: true)
            try ImageFile.writePNG(Image(width: w, height: h), to: "\(dir)/\(rel)")
        }
        try write("gt/000/00000000.png", 270, 270)
        try write("lq/000/00000000.png", 67, 67)
        try Data("000 1 (270,270,3)\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/meta_info.txt"))
        let (s1, r1) = try Self.check(dir, scale: 4)
        #expect(s1 == 1 && r1.contains("Scale mismatches"), "\(r1)")
        try write("gt/000/00000000.png", 268, 268)
        try Data("000 2 (268,268,3)\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/meta_info.txt"))
        let (s2, r2) = try Self.check(dir, scale: 4)
        #expect(s2 == 1 && r2.contains("FileNotFoundError"), "\(r2)")
        try Data("000 1 (268,268,3)\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/meta_info.txt"))
        let (s3, r3) = try Self.check(dir, scale: 4)
        #expect(s3 == 0 && r3.contains("\"basicsr_video\": \"ok\""), "\(r3)")
    }
}
