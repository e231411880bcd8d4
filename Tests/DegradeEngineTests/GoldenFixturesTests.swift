import DegradeMedia
import Foundation
import Testing
@testable import DegradeEngine

/// The reproducibility contract, pinned by committed fixtures rather than by comparing the code with itself: the
/// realbasicvsr plan of (seed 7, key 000) and the SHA-256 of a small executed clip per recipe. A deliberate change of
/// output bumps `DegradeVersion.sampleVersion` and rewrites these fixtures in the same commit:
///     DEGRADE_WRITE_GOLDEN=1 swift test --filter GoldenFixtures
/// The clip hashes hold for Debian 12's native builds (FFmpeg 5.1, libx264 164, libjpeg-turbo 2.1.5, FFTW 3.3.10).
/// modern-streaming is left out: libx265 3.5 here does not encode one clip to the same bytes every run.
@Suite(.serialized) struct GoldenFixtures {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let writing = ProcessInfo.processInfo.environment["DEGRADE_WRITE_GOLDEN"] == "1"
    static let recipes = ["realbasicvsr", "realbasicvsr-val", "realesrgan", "bsrgan", "bicubic", "handheld"]

    struct Golden: Codable, Equatable {
        var sampleVersion: Int
        var clips: [String: String]
    }

    @Test func theRealBasicVSRPlanIsTheCommittedOne() throws {
        var plan = try Planner.plan(recipe: RecipeFixtures.bundled("realbasicvsr"), seed: 7, clip: RecipeFixtures.clip)
        plan.tool = "degrade"  // the version string is not part of the contract; the sample version is
        let path = "\(Self.fixtures)/golden-plan-realbasicvsr-7-000.json"
        let text = try PlanFile.encode(plan) + "\n"
        if Self.writing { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)), "the realbasicvsr plan changed: bump the sample version and rewrite the fixtures")
        #expect(plan.sampleVersion == DegradeVersion.sampleVersion)
    }

    @Test func smallClipsOfEveryRecipeHaveTheCommittedBytes() throws {
        let source = MemorySource(clipsByKey: ["000": RecipeFixtures.frames(4, width: 150, height: 134)])
        let clip = try source.clips()[0]
        var hashes: [String: String] = [:]
        for name in Self.recipes {
            var recipe = try RecipeFixtures.bundled(name)
            // Small enough for a debug build: 3 frames, crops of 128 and paired crops of 64.
            if (recipe.clip.frames ?? 2) > 1 { recipe.clip.frames = 3 }
            if recipe.clip.cropSize != nil { recipe.clip.cropSize = 128 }
            if recipe.clip.pairedCrop != nil { recipe.clip.pairedCrop = 64 }
            let maker = SampleMaker(recipe: recipe, seed: 7, source: source, executor: Executor(threads: 1))
            let out = try maker.make(try maker.plan(clip: clip))
            hashes[name] = try Self.sha256(out.lq.flatMap { $0.interleaved8() } + out.gt.flatMap { $0.interleaved8() })
        }
        let path = "\(Self.fixtures)/golden-clips.json"
        let golden = Golden(sampleVersion: DegradeVersion.sampleVersion, clips: hashes)
        if Self.writing {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            try e.encode(golden).write(to: URL(fileURLWithPath: path))
        }
        let committed = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(committed.sampleVersion == DegradeVersion.sampleVersion, "the fixtures are of another sample version")
        for name in Self.recipes {
            #expect(hashes[name] == committed.clips[name], "\(name): the output bytes changed; bump the sample version and rewrite the fixtures")
        }
    }

    /// SHA-256 by the system's `sha256sum` (coreutils), so the tests need no crypto package.
    static func sha256(_ bytes: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [file.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
