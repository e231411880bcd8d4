import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// `render --gt-unsharp` / `--no-gt-unsharp`: `gt_unsharp/` is written only when asked, or when it cannot be
/// recomputed exactly from `gt/`; the catalog says which, readers of a set without it get the very frames a set with
/// it holds, and a resume keeps the set's choice.
@Suite struct GTUnsharpOption {
    /// The shared tiny recipe (unsharp, no paired crop) over two 8-bit REDS clips, rendered with `extra`.
    static func render(_ label: String, extra: [String]) throws -> (dir: String, out: String, args: [String], result: DegradeCLI.Result) {
        let dir = try RenderFixtures.tempDir(label)
        let reds = try RenderFixtures.redsFolder(clips: ["000", "001"], frames: 6, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/set"
        let args = ["render", recipe, "--input", reds, "--source", "reds", "--out", out, "--seed", "4", "--jobs", "1", "--quiet"] + extra
        return (dir, out, args, try DegradeCLI.run(args, logDir: dir))
    }

    /// What the catalog's run record says about the set's layout.
    static func layout(_ out: String) throws -> SetLayout {
        let catalog = try RenderCatalog(path: "\(out)/\(RenderCatalog.fileName)", readOnly: true)
        let run = try #require(try catalog.run())
        return try #require(RenderOptions.decode(run.options)).layout
    }

    @Test func aSetWithoutItReadsTheSameAsOneWithIt() throws {
        let without = try Self.render("gtu-default", extra: [])
        let with = try Self.render("gtu-written", extra: ["--gt-unsharp"])
        defer { try? FileManager.default.removeItem(atPath: without.dir); try? FileManager.default.removeItem(atPath: with.dir) }
        try #require(without.result.status == 0, "\(without.result.stderr)")
        try #require(with.result.status == 0, "\(with.result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(without.out)/gt_unsharp"))
        #expect(FileManager.default.fileExists(atPath: "\(with.out)/gt_unsharp/000/00000000.png"))
        #expect(try Self.layout(without.out).gtUnsharp == false)
        #expect(try Self.layout(with.out).gtUnsharp == true)
        // lq/ and gt/ are the same bytes either way.
        let a = try RenderSnapshot.files(in: without.out).filter { $0.key.hasSuffix(".png") }
        let b = try RenderSnapshot.files(in: with.out).filter { $0.key.hasSuffix(".png") && !$0.key.hasPrefix("gt_unsharp/") }
        #expect(a == b)
        try RenderSnapshot.checkCatalogMatchesDisk(without.out)

        // What the trainer's data.rendered_set and validation read: recomputed frames equal the written ones.
        let setWithout = try RenderedSet(root: without.out), setWith = try RenderedSet(root: with.out)
        #expect(!setWithout.hasGTUnsharp && setWith.hasGTUnsharp)
        #expect(setWithout.keys == setWith.keys && setWithout.keys.count == 2)
        for key in setWith.keys {
            let x = try setWithout.load(key), y = try setWith.load(key)
            let sharpened = try #require(x.gtUnsharp)
            #expect(sharpened.count == 4 && sharpened == y.gtUnsharp)
            #expect(sharpened != x.gt)
            #expect(x.gt == y.gt && x.lq == y.lq)
        }
        let streams = try [setWithout, setWith].map { try DegradationStream(origin: .renderedSet($0), seed: 2, workers: 1, prefetch: 1) }
        defer { streams.forEach { $0.cancel() } }
        for _ in 0..<2 {
            let s = try #require(try streams[0].next()), t = try #require(try streams[1].next())
            #expect(s.key == t.key && s.gtUnsharp != nil && s.gtUnsharp == t.gtUnsharp && s.lq == t.lq)
        }
    }

    /// Camera pans are rendered in floating point, so their `gt/` is rounded and would sharpen differently: such clips
    /// get `gt_unsharp/` by default, and a reader takes it from there.
    @Test func clipsWhoseGTIsNotEightBitKeepIt() throws {
        let dir = try RenderFixtures.tempDir("gtu-pan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 1, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/set"
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out), logDir: dir)
        try #require(r.status == 0, "\(r.stderr)")
        #expect(try Self.layout(out).gtUnsharp == false)
        let set = try RenderedSet(root: out)
        #expect(set.hasGTUnsharp)
        let loaded = try set.load("s01@pan")
        let files = try (0..<4).map { try ImageFile.read(String(format: "\(out)/gt_unsharp/s01@pan/%08d.png", $0)).image }
        #expect(loaded.gtUnsharp == files)
        let plan = try #require(loaded.plan)
        #expect(GroundTruthSharpening.apply(loaded.gt, plan: plan)?.map(RenderedSet.eightBit) != files)
        #expect(RenderJob.isEightBit(loaded.gt[0]) && !RenderJob.isEightBit(GroundTruthSharpening.apply(loaded.gt, plan: plan)![0]))
    }

    @Test func aPairedCropRecipeKeepsItAndRefusesToDropIt() throws {
        let dir = try RenderFixtures.tempDir("gtu-paired")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 1, in: dir)
        let yaml = RenderFixtures.recipeYAML(name: "tiny-paired").replacingOccurrences(of: "pipeline:", with: "paired_crop: 16\npipeline:")
        let recipe = try RenderFixtures.writeRecipe(yaml, in: dir)
        // Sharpened before the paired crop: gt/ cannot give it back, so it is written without being asked.
        let out = "\(dir)/set"
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out), logDir: dir)
        try #require(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(out)/gt_unsharp/s01@pan/00000000.png"))
        #expect(try Self.layout(out).gtUnsharp == true)
        let refused = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: "\(dir)/no", extra: ["--no-gt-unsharp"]), logDir: dir)
        #expect(refused.status == 2 && refused.stderr.contains("--no-gt-unsharp") && refused.stderr.contains("paired crop"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/no"))
    }

    @Test func askingForWhatCannotBeWrittenIsRefused() throws {
        let dir = try RenderFixtures.tempDir("gtu-usage")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 1, in: dir)
        let plain = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML().replacingOccurrences(of: "unsharp: {kernel_size: 7}\n", with: ""), in: dir, name: "plain.yaml")
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: plain, stills: stills, out: "\(dir)/a", extra: ["--gt-unsharp"]), logDir: dir)
        #expect(r.status == 2 && r.stderr.contains("--gt-unsharp") && r.stderr.contains("unsharp"), "\(r.stderr)")
        let sharp = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let both = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: sharp, stills: stills, out: "\(dir)/b", extra: ["--gt-unsharp", "--no-gt-unsharp"]), logDir: dir)
        #expect(both.status == 2 && both.stderr.contains("gt-unsharp"), "\(both.stderr)")
        // --no-gt with nothing to recompute from: the sharpened GT must be on disk, so leaving it out is refused.
        let noGT = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: sharp, stills: stills, out: "\(dir)/c", extra: ["--no-gt", "--no-gt-unsharp"]), logDir: dir)
        #expect(noGT.status == 2 && noGT.stderr.contains("--no-gt"), "\(noGT.stderr)")
        for name in ["a", "b", "c"] { #expect(!FileManager.default.fileExists(atPath: "\(dir)/\(name)")) }
    }

    /// A resume without either flag keeps what the set has; a flag that contradicts it is refused.
    @Test func aResumeKeepsTheSetsChoice() throws {
        let with = try Self.render("gtu-resume", extra: ["--gt-unsharp"])
        defer { try? FileManager.default.removeItem(atPath: with.dir) }
        try #require(with.result.status == 0, "\(with.result.stderr)")
        let written = try RenderSnapshot(with.out)
        // Lose one clip, resume without the flag: it comes back with its gt_unsharp/.
        for kind in ["lq", "gt", "gt_unsharp"] { try FileManager.default.removeItem(atPath: "\(with.out)/\(kind)/001") }
        let plain = Array(with.args.dropLast())  // the same command without --gt-unsharp
        let resumed = try DegradeCLI.run(plain, logDir: with.dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try RenderSnapshot(with.out) == written)
        let refused = try DegradeCLI.run(plain + ["--no-gt-unsharp"], logDir: with.dir)
        #expect(refused.status == 2 && refused.stderr.contains("--no-gt-unsharp (the set has gt_unsharp/)"), "\(refused.stderr)")

        let without = try Self.render("gtu-resume-default", extra: [])
        defer { try? FileManager.default.removeItem(atPath: without.dir) }
        try #require(without.result.status == 0, "\(without.result.stderr)")
        let again = try DegradeCLI.run(without.args, logDir: without.dir)
        #expect(again.status == 0, "\(again.stderr)")
        let asked = try DegradeCLI.run(without.args + ["--gt-unsharp"], logDir: without.dir)
        #expect(asked.status == 2 && asked.stderr.contains("--gt-unsharp (the set has no gt_unsharp/)"), "\(asked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(without.out)/gt_unsharp"))
    }
}
