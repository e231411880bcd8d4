import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// `render --png-compression`: every level writes the same pixels; the level changes only file sizes, and
/// spreading the compression over threads or reusing a mirrored frame's bytes changes nothing.
@Suite struct PNGCompressionLevels {
    /// A mirrored recipe (so gt/ and gt_unsharp/ repeat their frames in reverse) with a crop and unsharp.
    static let mirroredYAML = RenderFixtures.recipeYAML(name: "tiny-mirror").replacingOccurrences(of: "flip: {horizontal: 0.5}\n", with: "flip: {horizontal: 0.5}\nmirror: true\n")

    static func render(_ recipe: String, stills: String, out: String, level: PNGCompression, jobs: Int = 1,
                       clips: [String]? = nil) throws {
        let spec = ClipSourceSpec(kind: .pan, path: stills, panFrames: 6, panWidth: 48, panHeight: 40)
        let job = RenderJob(recipe: try RenderFixtures.recipe(recipe), seed: 5, sourceSpec: spec, out: out,
                            selection: SampleSelection(clips: clips), jobs: jobs, gtUnsharp: true, pngCompression: level)
        _ = try job.run()
    }

    /// Decoded pixels of every PNG under `root`, by relative path.
    static func pixels(_ root: String) throws -> [String: [Float]] {
        var out: [String: [Float]] = [:]
        for (path, _) in try RenderSnapshot.files(in: root) where path.hasSuffix(".png") {
            out[path] = try ImageFile.read("\(root)/\(path)").image.pixels
        }
        return out
    }

    @Test func everyLevelWritesTheSamePixels() throws {
        let dir = try RenderFixtures.tempDir("pnglevels")
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        var decoded: [PNGCompression: [String: [Float]]] = [:]
        var sizes: [PNGCompression: Int] = [:]
        for level in PNGCompression.allCases {
            let out = "\(dir)/\(level.rawValue)"
            try Self.render(Self.mirroredYAML, stills: stills, out: out, level: level)
            decoded[level] = try Self.pixels(out)
            sizes[level] = try RenderSnapshot.files(in: out).filter { $0.key.hasSuffix(".png") }.values.reduce(0) { $0 + $1.count }
            // The index records each file as written at this level.
            let catalog = try RenderCatalog(path: "\(out)/\(RenderCatalog.fileName)", readOnly: true)
            for row in try catalog.clipRows() {
                for f in row.frames {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(f.path)"))
                    #expect(f.bytes == bytes.count && f.checksum == StableHash.checksum([UInt8](bytes)), "\(level) \(f.path)")
                }
            }
        }
        let fast = try #require(decoded[.fast])
        #expect(fast.count == 2 * 3 * 8)  // 2 clips × lq, gt, gt_unsharp × 4 frames mirrored to 8
        #expect(decoded[.default] == fast)
        #expect(decoded[.max] == fast)
        #expect(try #require(sizes[.max]) < sizes[.fast]!)
    }

    @Test func mirroredFramesAreFoundAndOnlyWhenTheirPixelsMatch() throws {
        let recipe = try RenderFixtures.recipe(Self.mirroredYAML)
        let dir = try RenderFixtures.tempDir("pngmirror")
        let stills = try RenderFixtures.stillsFolder(count: 1, in: dir)
        let source = try ClipSourceSpec(kind: .pan, path: stills, panFrames: 6, panWidth: 48, panHeight: 40).open()
        let maker = SampleMaker(recipe: recipe, seed: 3, source: source, executor: Executor(threads: 1))
        let plan = try maker.plan(clip: try #require(try source.clips().first))
        let clip = try maker.make(plan)
        let n = clip.gt.count
        #expect(n == 8)
        #expect(FrameEncoding.repeatedFrames(clip.gt, plan: plan) == (0..<n).map { $0 < n / 2 ? nil : n - 1 - $0 })
        #expect(FrameEncoding.repeatedFrames(clip.lq, plan: plan).allSatisfy { $0 == nil })
        var changed = clip.gt
        changed[n - 1].pixels[0] += 1.0 / 255
        #expect(FrameEncoding.repeatedFrames(changed, plan: plan)[n - 1] == nil)
    }

    @Test func parallelCompressionGivesTheSameSet() throws {
        // One clip with four jobs compresses its frames on four threads; one job on one.
        let dir = try RenderFixtures.tempDir("pngthreads")
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        try Self.render(Self.mirroredYAML, stills: stills, out: "\(dir)/one", level: .fast, jobs: 1, clips: ["s02@pan"])
        try Self.render(Self.mirroredYAML, stills: stills, out: "\(dir)/four", level: .fast, jobs: 4, clips: ["s02@pan"])
        #expect(try RenderSnapshot("\(dir)/one") == RenderSnapshot("\(dir)/four"))
    }

    @Test func aResumeMayChangeTheLevel() throws {
        let dir = try RenderFixtures.tempDir("pngresume")
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let recipe = try RenderFixtures.writeRecipe(Self.mirroredYAML, in: dir)
        let out = "\(dir)/set"
        let first = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out), logDir: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try RenderSnapshot.files(in: "\(out)/gt")
        let beforePixels = try Self.pixels(out)
        // One clip's files lost: the resumed run, at another level, renders it again and keeps the other clip as it is.
        for kind in ["lq", "gt"] { try FileManager.default.removeItem(atPath: "\(out)/\(kind)/s02@pan") }
        let resumed = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, extra: ["--png-compression", "max"]), logDir: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = try RenderSnapshot.files(in: "\(out)/gt")
        #expect(after.keys.sorted() == before.keys.sorted())
        for (path, bytes) in before {
            if path.hasPrefix("s01@pan/") { #expect(after[path] == bytes, "\(path) was rewritten") }
            else { #expect(after[path] != bytes, "\(path) is not at the new level") }
        }
        #expect(try Self.pixels(out) == beforePixels)
        let verified = try DegradeCLI.run(["verify", out], logDir: dir)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test(arguments: ["fastest", "", "9", "MAX"])
    func unknownLevelsAreRefused(value: String) throws {
        let dir = try RenderFixtures.tempDir("pngbad")
        let stills = try RenderFixtures.stillsFolder(count: 1, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: "\(dir)/set", extra: ["--png-compression", value]), logDir: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("--png-compression") && r.stderr.contains("fast") && r.stderr.contains("max"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/set"))
    }
}
