import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// A small preview run shared by the tests: two generated stills as 8-frame 64×56 pans, two recipes with a
/// 48 px crop, three samples each (so sample 3 is variant 1 of the first clip).
struct PreviewFixture: Sendable {
    let dir: String
    let recipes: [Recipe]
    let summary: PreviewJob.Summary

    static let alphaYAML = """
        name: alpha
        description: 'test <b>tags</b> & "quotes"'
        scale: 4
        frames: 4
        crop: {size: 48}
        mirror: true
        pipeline:
          - blur:
              kernel_size: [7]
              kernel_list: [aniso]
              kernel_prob: [1]
              sigma_x: [0.5, 2]
              sigma_y: [0.5, 2]
          - resize:
              target_scale: 0.25
              resize_opt: [bilinear]
          - noise:
              prob: 0
              noise_type: [gaussian]
              noise_prob: [1]
              gaussian_sigma: [1, 5]
          - jpeg:
              quality: [40, 80]
          - quantize
        """
    static let betaYAML = """
        name: beta/../x
        frames: 3
        crop: {size: 48}
        pipeline:
          - noise:
              noise_type: [gaussian]
              noise_prob: [1]
              gaussian_sigma: [2, 10]
          - resize:
              target_scale: 0.25
              resize_opt: [area]
          - quantize
        """

    /// `name` inside a fresh, empty temporary folder (removed by `cleanUp`).
    static func tempDir(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("degrade-preview-tests-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return "\(dir)/\(name)"
    }

    static func cleanUp(_ path: String) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// A folder with two textured stills, as an 8-frame pan source.
    static func source() throws -> PanSource {
        let folder = tempDir("stills")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (n, name) in ["one", "two"].enumerated() {
            let w = 96, h = 72
            var img = Image(width: w, height: h)
            for c in 0..<3 {
                for y in 0..<h {
                    for x in 0..<w {
                        let u = Double(x), v = Double(y)
                        img.pixels[c * w * h + y * w + x] = Float(0.5 + 0.3 * sin(u * 0.37 + Double(c + n)) * cos(v * 0.21) + 0.15 * sin((u + v) * 1.3))
                    }
                }
            }
            try ImageFile.writePNG(img, to: "\(folder)/\(name).png")
        }
        return try PanSource(stills: StillsSource(folder: folder), frames: 8, width: 64, height: 56)
    }

    static func recipes() throws -> [Recipe] {
        [try RecipeParser.parse(alphaYAML, file: "alpha.yaml"), try RecipeParser.parse(betaYAML, file: "beta.yaml")]
    }

    static let shared: Result<PreviewFixture, any Error> = Result {
        let dir = tempDir("preview")
        let recipes = try PreviewFixture.recipes()
        let summary = try PreviewJob(recipes: recipes, seed: 3, source: try source(), out: dir, samples: 3, threads: 2).run()
        return PreviewFixture(dir: dir, recipes: recipes, summary: summary)
    }

    static func get() throws -> PreviewFixture { try shared.get() }

    var html: String { (try? String(contentsOfFile: "\(dir)/index.html", encoding: .utf8)) ?? "" }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let re = try! NSRegularExpression(pattern: pattern)
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            String(text[Range(m.range(at: m.numberOfRanges > 1 ? 1 : 0), in: text)!])
        }
    }
}

@Suite struct PreviewGallery {
    @Test func everyReferenceIsARelativeFileInsideTheFolder() throws {
        let f = try PreviewFixture.get()
        let html = f.html
        #expect(FileManager.default.fileExists(atPath: "\(f.dir)/index.html"))
        #expect(f.summary.indexPath == "\(f.dir)/index.html")
        let refs = PreviewFixture.matches(#"(?:src|href)\s*=\s*"([^"]*)""#, in: html)
        #expect(refs.count > 20)
        for ref in refs {
            if ref.hasPrefix("#") {
                #expect(html.contains("id=\"\(ref.dropFirst())\""), "anchor \(ref) has no target")
                continue
            }
            #expect(!ref.hasPrefix("/") && !ref.contains(".."), "\(ref) is absolute or climbs out")
            #expect(!ref.contains(":") && !ref.hasPrefix("//"), "\(ref) is a URL")
            #expect(FileManager.default.fileExists(atPath: "\(f.dir)/\(ref)"), "\(ref) does not exist")
        }
        // Every src is an image that exists; the page loads nothing else.
        #expect(PreviewFixture.matches(#"src="([^"]*)""#, in: html).allSatisfy { $0.hasSuffix(".png") })
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains(f.dir), "the page names the absolute output folder")
    }

    @Test func severalRecipesGiveSeveralSectionsAndAComparisonGrid() throws {
        let f = try PreviewFixture.get()
        let html = f.html
        #expect(PreviewFixture.matches(#"<section class="recipe" id="r\d+">"#, in: html).count == 2)
        #expect(PreviewFixture.matches(#"<div class="cmp-head">"#, in: html).count == 2)
        #expect(PreviewFixture.matches(#"<figure class="cmp-cell">"#, in: html).count == 6)
        for r in f.recipes {
            #expect(html.contains(r.hash))
            #expect(html.contains(HTMLText.escape(r.name)))
        }
        for p in f.summary.records { #expect(html.contains(">\(HTMLText.escape(p.key))<")) }
        #expect(html.contains("<details><summary>plan JSON</summary>"))
    }

    @Test func recipeTextIsEscaped() throws {
        let html = try PreviewFixture.get().html
        #expect(html.contains("test &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;"))
        #expect(!html.contains("<b>tags</b>"))
        #expect(HTMLText.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;")
    }

    @Test func samplesCycleOverClipsThenVariants() throws {
        let f = try PreviewFixture.get()
        let keys = f.summary.records.filter { $0.recipeIndex == 0 }.sorted { $0.sample < $1.sample }.map(\.key)
        #expect(keys == ["one@pan", "two@pan", "one@pan#1"])
        // A name with slashes and dots still gives a folder inside the preview.
        #expect(f.summary.records.filter { $0.recipeIndex == 1 }.allSatisfy { $0.pairsPath.hasPrefix("r2-beta-x/") })
    }
}

@Suite struct PreviewImages {
    @Test func aStageImagePerAppliedStepAtOneHeight() throws {
        let f = try PreviewFixture.get()
        for p in f.summary.records {
            let applied = p.plan.steps.filter(\.applied)
            #expect(p.stages.count == 1 + applied.count)
            #expect(p.stages.map(\.op).dropFirst() == applied.map(\.name)[...])
            #expect(!p.stages.contains { $0.op == "noise" } || p.recipeIndex == 1, "a step skipped by prob 0 has no stage")
            var heights = Set<Int>()
            for s in p.stages {
                #expect(FileManager.default.fileExists(atPath: "\(f.dir)/\(s.path)"), "\(s.path)")
                heights.insert(try ImageFile.dimensions("\(f.dir)/\(s.path)").height)
            }
            #expect(heights == [48], "stages are shown at the GT's height")
            // The LQ stages keep their native size in the card.
            #expect(p.stages.last.map { ($0.width, $0.height) }! == (12, 12))
        }
    }

    @Test func blurCardShowsTheFramesKernel() throws {
        let f = try PreviewFixture.get()
        for p in f.summary.records where p.recipeIndex == 0 {
            guard case .blur(let blur) = try #require(p.plan.steps.first { $0.kind == .blur }).op else { Issue.record("no blur"); return }
            let card = try #require(p.stages.first { $0.op == "blur" })
            let value = { (name: String) in card.parameters.first { $0.name == name }?.value }
            #expect(value("kernel") == "aniso")
            #expect(value("size") == "7×7")
            #expect(value("σx") == String(format: "%.3f px", blur.frames[0].sigmaX))
            #expect(value("σy") == String(format: "%.3f px", blur.frames[0].sigmaY))
            let jpeg = try #require(p.stages.first { $0.op == "jpeg" })
            guard case .jpeg(let plan) = try #require(p.plan.steps.first { $0.kind == .jpeg }).op else { Issue.record("no jpeg"); return }
            #expect(jpeg.parameters.first { $0.name == "quality" }?.value == String(plan.qualities[0]))
        }
    }

    @Test func pairsSheetShowsFirstMiddleLastWithTheLQEnlargedByNearest() throws {
        let f = try PreviewFixture.get()
        let p = try #require(f.summary.records.first { $0.recipeIndex == 0 })
        #expect(p.pairFrames == [0, 3, 7])  // 4 frames mirrored to 8
        let sheet = try ImageFile.read("\(f.dir)/\(p.pairsPath)").image
        // ContactSheet: 4 px gaps, cells of the GT's 48 px height.
        #expect(sheet.height == 4 + 3 * (48 + 4))
        #expect(sheet.width == 4 + 2 * (48 + 4))
        // The LQ cell (second column) is the 12×12 LQ scaled ×4 by nearest: constant 4×4 blocks.
        var blocksVary = false
        for row in 0..<3 {
            let y0 = 4 + row * 52, x0 = 4 + 52
            for c in 0..<3 {
                for by in 0..<12 {
                    for bx in 0..<12 {
                        let v = sheet.pixels[c * sheet.planeSize + (y0 + 4 * by) * sheet.width + x0 + 4 * bx]
                        for dy in 0..<4 {
                            for dx in 0..<4 where sheet.pixels[c * sheet.planeSize + (y0 + 4 * by + dy) * sheet.width + x0 + 4 * bx + dx] != v {
                                blocksVary = true
                            }
                        }
                    }
                }
            }
        }
        #expect(!blocksVary)
    }
}

@Suite struct PreviewDatabase {
    @Test func oneRowPerSampleWithParseablePlans() throws {
        let f = try PreviewFixture.get()
        let db = try SQLiteDatabase(path: "\(f.dir)/previews.sqlite", readOnly: true)
        let recipes = try db.rows("SELECT id, name, hash, text FROM recipes ORDER BY position")
        #expect(recipes.map { $0[1].text } == f.recipes.map(\.name))
        #expect(recipes.map { $0[2].text } == f.recipes.map(\.hash))
        #expect(recipes.map { $0[3].text } == f.recipes.map(\.source))
        let run = try #require(try db.rows("SELECT seed, tool_version, created FROM run").first)
        #expect(run[0].int == 3 && run[1].text == DegradeVersion.string && (run[2].text ?? "").hasSuffix("Z"))

        let rows = try db.rows("SELECT p.id, r.position, p.key, p.plan, p.pairs_path, p.stages_path FROM previews p JOIN recipes r ON r.id = p.recipe_id")
        #expect(rows.count == 6)
        for row in rows {
            let plan = try JSONDecoder().decode(DegradationPlan.self, from: Data(try #require(row[3].text).utf8))
            #expect(plan.key == row[2].text)
            #expect(plan.recipeHash == f.recipes[Int(row[1].int!)].hash)
            #expect(plan.seed == 3)
            for path in [row[4].text!, row[5].text!] {
                #expect(StagedFolder.isContained(path) && FileManager.default.fileExists(atPath: "\(f.dir)/\(path)"))
            }
            let stages = try db.rows("SELECT path FROM stages WHERE preview_id = ? ORDER BY position", [row[0]])
            #expect(stages.count == 1 + plan.steps.filter(\.applied).count)
        }
        // A single file: no write-ahead log left beside it.
        #expect(!FileManager.default.fileExists(atPath: "\(f.dir)/previews.sqlite-wal"))
    }
}

@Suite struct PreviewOutputFolder {
    /// A non-empty folder is refused; --force replaces an earlier preview, never a folder degrade did not write.
    @Test func refusesANonEmptyFolderUnlessForced() throws {
        let dir = PreviewFixture.tempDir("existing")
        defer { PreviewFixture.cleanUp(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try AtomicFile.write(Array("keep".utf8), to: "\(dir)/mine.txt")
        let recipes = [try PreviewFixture.recipes()[1]]
        let source = try PreviewFixture.source()
        #expect(throws: InputError.self) {
            try PreviewJob(recipes: recipes, source: source, out: dir, samples: 1).run()
        }
        #expect(FileManager.default.fileExists(atPath: "\(dir)/mine.txt"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/index.html"))
        let parent = URL(fileURLWithPath: dir).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["existing"], "no staging folder is left behind")

        #expect(throws: InputError.self) {
            try PreviewJob(recipes: recipes, source: source, out: dir, samples: 1, force: true).run()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["mine.txt"], "--force deleted a folder it did not write")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["existing"])

        try FileManager.default.removeItem(atPath: "\(dir)/mine.txt")
        _ = try PreviewJob(recipes: recipes, source: source, out: dir, samples: 1).run()
        let first = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/previews.sqlite"))
        _ = try PreviewJob(recipes: recipes, seed: 9, source: source, out: dir, samples: 1, force: true).run()
        #expect(FileManager.default.fileExists(atPath: "\(dir)/index.html"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/previews.sqlite")) != first, "the earlier preview was not replaced")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["existing"])
    }

    @Test func aFailedRunLeavesNothing() throws {
        let dir = PreviewFixture.tempDir("failed")
        defer { PreviewFixture.cleanUp(dir) }
        // 20 frames from 8-frame clips: planning fails.
        let recipe = try RecipeParser.parse(PreviewFixture.betaYAML.replacingOccurrences(of: "frames: 3", with: "frames: 20"))
        #expect(throws: (any Error).self) {
            try PreviewJob(recipes: [recipe], source: try PreviewFixture.source(), out: dir, samples: 1).run()
        }
        let parent = URL(fileURLWithPath: dir).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    @Test func forceNeverReplacesAFolderHoldingTheInput() throws {
        let dir = PreviewFixture.tempDir("holder")
        defer { PreviewFixture.cleanUp(dir) }
        try FileManager.default.createDirectory(atPath: "\(dir)/input", withIntermediateDirectories: true)
        #expect(throws: OutputOverlapError.self) {
            _ = try StagedFolder(out: dir, force: true, protecting: ["\(dir)/input"])
        }
        // Nor a folder inside the input, nor the input itself, with or without --force.
        for out in ["\(dir)/input/preview", "\(dir)/input"] {
            #expect(throws: OutputOverlapError.self) { _ = try StagedFolder(out: out, force: false, protecting: ["\(dir)/input"]) }
        }
        #expect(FileManager.default.fileExists(atPath: "\(dir)/input"))
    }

    @Test func containedPaths() {
        #expect(StagedFolder.isContained("r1-a/s1-b/pairs.png"))
        for bad in ["", "/etc/x.png", "../x.png", "a/../../x", "a//b", "./a", "a\\b"] { #expect(!StagedFolder.isContained(bad)) }
        #expect(PreviewSlug.make("../Life@pan#1") == "life-pan-1")
        #expect(PreviewSlug.make("...") == "x")
    }
}
