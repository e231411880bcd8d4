import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// `degrade render` refuses to mix runs or clobber folders, and refuses bad inputs before writing anything.
@Suite struct RenderFolderGuards {
    static let clipCount = 3

    /// A finished render of 3 clips in a fresh folder (its own copy, since the tests try to change it).
    static func renderedCopy(_ dir: String) throws -> (recipe: String, stills: String, out: String) {
        let stills = try RenderFixtures.stillsFolder(count: clipCount, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/out"
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out), logDir: dir)
        try #require(r.status == 0, "\(r.stderr)")
        return (recipe, stills, out)
    }

    @Test func anotherSeedIntoAnExistingRenderIsRefused() throws {
        let dir = try RenderFixtures.tempDir("guard-seed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = try Self.renderedCopy(dir)
        let before = try RenderSnapshot.files(in: set.out)
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: set.recipe, stills: set.stills, out: set.out, seed: 8), logDir: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("seed 7") && r.stderr.contains("seed 8"), "\(r.stderr)")
        #expect(try RenderSnapshot.files(in: set.out) == before, "the refused run changed the folder")
    }

    @Test func anotherRecipeIntoAnExistingRenderIsRefused() throws {
        let dir = try RenderFixtures.tempDir("guard-recipe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = try Self.renderedCopy(dir)
        let other = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(name: "tiny-other"), in: dir, name: "other.yaml")
        let before = try RenderSnapshot.files(in: set.out)
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: other, stills: set.stills, out: set.out), logDir: dir)
        #expect(r.status == 2)
        let oldHash = try RenderFixtures.recipe().hash, newHash = try RenderFixtures.recipe(RenderFixtures.recipeYAML(name: "tiny-other")).hash
        #expect(r.stderr.contains("tiny-qa") && r.stderr.contains("tiny-other"), "\(r.stderr)")
        #expect(r.stderr.contains(oldHash) && r.stderr.contains(newHash), "\(r.stderr)")
        #expect(try RenderSnapshot.files(in: set.out) == before, "the refused run changed the folder")

        // Other options that change the output (here --frames) are refused the same way.
        let frames = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: set.recipe, stills: set.stills, out: set.out, extra: ["--frames", "3"]),
                                        logDir: dir)
        #expect(frames.status == 2, "\(frames.stderr)")
        #expect(try RenderSnapshot.files(in: set.out) == before)
    }

    /// A folder that is not a render is never written into nor deleted, with or without --force; nor is a file.
    @Test func aFolderThatIsNotARenderIsRefusedEvenWithForce() throws {
        let dir = try RenderFixtures.tempDir("guard-foreign")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/precious"
        try FileManager.default.createDirectory(atPath: "\(out)/nested/deeper", withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: "\(out)/thesis.tex"))
        try Data("dot".utf8).write(to: URL(fileURLWithPath: "\(out)/.hidden"))
        try Data("data".utf8).write(to: URL(fileURLWithPath: "\(out)/nested/deeper/x.bin"))
        let before = try RenderSnapshot.files(in: out)

        for extra in [[], ["--force"]] {
            let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, extra: extra), logDir: dir)
            #expect(r.status == 2, "\(extra): \(r.stderr)")
            #expect(r.stderr.contains(out), "\(r.stderr)")
            #expect(try RenderSnapshot.files(in: out) == before, "\(extra) changed a folder degrade did not write")
        }
        // A regular file as --out is refused the same way and left as it is.
        let file = "\(dir)/file.txt"
        try Data("a file".utf8).write(to: URL(fileURLWithPath: file))
        let f = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: file, extra: ["--force"]), logDir: dir)
        #expect(f.status == 2 && f.stderr.contains("is a file"), "\(f.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "a file")
    }

    /// A selection error (unknown clip) is reported before the folder is created, so correcting the
    /// command and running it again into the same --out works.
    @Test func aRefusedSelectionLeavesNoRunBehind() throws {
        let dir = try RenderFixtures.tempDir("guard-select")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/out"
        let bad = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, extra: ["--clips", "s9@pan"]), logDir: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("s9@pan"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))

        let good = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, extra: ["--clips", "s02@pan"]), logDir: dir)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try RenderedSet(root: out).keys == ["s02@pan"])
    }

    /// Clip keys become folder names under --out; a meta_info naming `../…` must not write outside it.
    @Test func clipKeysThatWouldEscapeTheOutputAreRejected() throws {
        let dir = try RenderFixtures.tempDir("guard-escape")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // `src/reds/../../elsewhere/escape` is a real clip folder, and `out/set/lq/../../elsewhere/escape`
        // would land outside --out.
        let root = try RenderFixtures.redsFolder(clips: ["000", ".hidden"], frames: 4, in: dir, name: "src/reds")
        _ = try RenderFixtures.redsFolder(clips: ["escape"], frames: 4, in: dir, name: "elsewhere")
        // `src/reds/..` holds a frame too, so `..` is a clip the source would deliver.
        try ImageFile.writePNG(RenderFixtures.still(0, width: 40, height: 36), to: "\(dir)/src/00000000.png")
        let elsewhere = Set(RenderSnapshot.allPaths(in: "\(dir)/elsewhere"))
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        for (key, frames) in [("../../elsewhere/escape", 4), ("..", 1), (".hidden", 4)] {
            let meta = "\(dir)/meta.txt"
            try Data("000 4 (36,40,3)\n\(key) \(frames) (36,40,3)\n".utf8).write(to: URL(fileURLWithPath: meta))
            let out = "\(dir)/out/set"
            let r = try DegradeCLI.run(["render", recipe, "--input", root, "--source", "reds", "--meta-info", meta, "--out", out, "--quiet"],
                                       logDir: dir)
            #expect(r.status == 2, "\(key): \(r.stderr)")
            #expect(r.stderr.contains("`\(key)`"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/out"), "\(key): the refused render wrote \(RenderSnapshot.allPaths(in: "\(dir)/out"))")
            #expect(Set(RenderSnapshot.allPaths(in: "\(dir)/elsewhere")) == elsewhere)
        }
    }
}

/// Failures while rendering: reported with the culprit, and never leave a half-written clip visible.
@Suite struct RenderFailures {
    @Test func aCorruptSourceFrameFailsTheRenderNamingTheFrame() throws {
        let dir = try RenderFixtures.tempDir("corrupt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = try RenderFixtures.redsFolder(clips: ["000", "001", "002"], frames: 4, in: dir)
        // Clip 001's third frame: a valid PNG signature followed by garbage (its size is read from frame 0).
        let bad = "\(root)/001/00000002.png"
        let good = try Data(contentsOf: URL(fileURLWithPath: bad))
        var corrupt = good.prefix(40)
        corrupt.append(Data(repeating: 0x5A, count: 64))
        try corrupt.write(to: URL(fileURLWithPath: bad))
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/out"
        let args = ["render", recipe, "--input", root, "--source", "reds", "--out", out, "--jobs", "1", "--quiet"]

        let r = try DegradeCLI.run(args, logDir: dir)
        #expect(r.status != 0 && !r.signalled)
        #expect(r.status == 2, "a corrupt input is bad input")
        #expect(r.stderr.contains(bad), "\(r.stderr)")
        #expect(r.stderr.contains("001"))
        for kind in ["lq", "gt", "gt_unsharp"] {
            #expect(!FileManager.default.fileExists(atPath: "\(out)/\(kind)/001"), "\(kind)/001 is visible")
        }
        #expect(RenderSnapshot.allPaths(in: out).filter { $0.contains(".partial-") || $0.hasSuffix(".tmp") } == [])
        let catalog = try RenderCatalog(path: "\(out)/\(RenderCatalog.fileName)", readOnly: true)
        #expect(try !catalog.doneKeys().contains("001"))
        try RenderSnapshot.checkCatalogMatchesDisk(out)

        // Repaired, the same command finishes the set.
        try good.write(to: URL(fileURLWithPath: bad))
        let again = try DegradeCLI.run(args, logDir: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try RenderedSet(root: out).keys == ["000", "001", "002"])
        try RenderSnapshot.checkCatalogMatchesDisk(out)
    }
}

/// `--repeat n` renders n differently degraded variants of each clip, each variant in its own root with the source's
/// clip names and its own meta_info (REDS partition filters match exact clip names).
@Suite struct RenderRepeat {
    @Test func repeatTwoWritesDistinctVariants() throws {
        let dir = try RenderFixtures.tempDir("repeat")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/out"
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, extra: ["--repeat", "2"]), logDir: dir)
        try #require(r.status == 0, "\(r.stderr)")
        let snap = try RenderSnapshot(out)
        #expect(snap.clips.map(\.key) == ["s01@pan", "s01@pan#1", "s02@pan", "s02@pan#1"])
        #expect(snap.clips.map(\.variant) == [0, 1, 0, 1])
        #expect(snap.clips.map(\.sourceClip) == ["s01@pan", "s01@pan", "s02@pan", "s02@pan"])
        for clip in ["s01@pan", "s02@pan"] {
            let a = try #require(snap.clips.first { $0.key == clip }), b = try #require(snap.clips.first { $0.key == clip + "#1" })
            #expect(a.plan != b.plan, "\(clip): both variants have one plan")
            for t in 0..<4 {
                let name = String(format: "%08d.png", t)
                #expect(snap.files["variant-0/lq/\(clip)/\(name)"] != nil)
                #expect(snap.files["variant-1/gt/\(clip)/\(name)"] != nil)
                #expect(snap.files["variant-0/lq/\(clip)/\(name)"] != snap.files["variant-1/lq/\(clip)/\(name)"], "\(clip) frame \(t): variants are identical")
            }
        }
        for v in 0..<2 {
            let meta = try String(contentsOfFile: "\(out)/variant-\(v)/meta_info.txt", encoding: .utf8)
            #expect(meta.split(separator: "\n").map { String($0.split(separator: " ")[0]) } == ["s01@pan", "s02@pan"])
        }
        #expect(!FileManager.default.fileExists(atPath: "\(out)/meta_info.txt"))
        #expect(try DegradeCLI.run(["verify", out], logDir: dir).status == 0)
        // --force clears every variant root.
        let again = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, seed: 9, extra: ["--force"]), logDir: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/variant-1"), "\(RenderSnapshot.allPaths(in: out))")
        #expect(try DegradeCLI.run(["verify", out], logDir: dir).status == 0)
    }
}
