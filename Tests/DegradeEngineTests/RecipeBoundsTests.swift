import DegradeMedia
import Foundation
import Testing
@testable import DegradeEngine

/// Recipes that would hang, exhaust memory or recurse without end are refused quickly, naming the limit.
@Suite struct RecipeBounds {
    func failure(_ yaml: String) -> RecipeError? {
        do {
            _ = try RecipeParser.parse(yaml, file: "bounds.yaml")
            Issue.record("accepted")
            return nil
        } catch let e as RecipeError {
            return e
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// The issue's 29-line recipe, generalised: pipeline entry i shuffles two copies of entry i − 1.
    static func aliasBomb(levels: Int) -> String {
        var lines = ["name: bomb", "pipeline:", "  - shuffle: &a0 [quantize, clip]"]
        for i in 1..<levels { lines.append("  - shuffle: &a\(i) [{shuffle: *a\(i - 1)}, {shuffle: *a\(i - 1)}]") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aliasBombStopsAtTheNodeLimit() throws {
        let e = try #require(failure(Self.aliasBomb(levels: 40)))
        #expect(e.message.contains("limit of \(RecipeLimits.maxNodes) values") && e.line != nil)
    }

    @Test func aliasesAsKeysStopAtTheNodeLimit() throws {
        var lines = ["name: keys", "a0: &a0 [x, y]"]
        for i in 1..<40 { lines.append("a\(i): &a\(i) [*a\(i - 1), *a\(i - 1)]") }
        lines.append("pipeline: [quantize]")
        lines.append("k: {? *a39 : 1}")
        let e = try #require(failure(lines.joined(separator: "\n") + "\n"))
        #expect(e.message.contains("limit"))
    }

    @Test func modestAliasesStillWork() throws {
        let r = try RecipeParser.parse(Self.aliasBomb(levels: 4), file: "ok.yaml")
        #expect(RecipeParser.opCount(r.pipeline) == 2 + 4 + 8 + 16)
    }

    @Test func tooManyOpsNameTheLimit() throws {
        let yaml = "name: x\npipeline:\n" + String(repeating: "  - quantize\n", count: RecipeLimits.maxOps + 1)
        let e = try #require(failure(yaml))
        #expect(e.key == "pipeline" && e.message.contains("limit of \(RecipeLimits.maxOps) ops"))
    }

    @Test func deepFlowNestingIsRefusedBeforeComposing() throws {
        let e = try #require(failure("name: x\npipeline: " + String(repeating: "[", count: 300) + "\n"))
        #expect(e.line == 2 && e.message.contains("limit of \(RecipeLimits.maxNesting) levels"))
        // libyaml stops at 1000 levels by itself: reported as a syntax error, still no recursion in the composer.
        let deeper = try #require(failure("name: x\npipeline: " + String(repeating: "[", count: 200_000) + "\n"))
        #expect(deeper.line == 2 && deeper.message.contains("nesting"))
    }

    @Test func deepBlockNestingIsRefused() throws {
        let e = try #require(failure("name: x\npipeline:\n" + String(repeating: "- ", count: 100_000) + "quantize\n"))
        #expect(e.line == 3 && e.message.contains("levels"))
    }

    @Test func oversizedTextIsRefused() throws {
        let yaml = "name: x\npipeline: [quantize]\n#" + String(repeating: "x", count: RecipeLimits.maxBytes) + "\n"
        let e = try #require(failure(yaml))
        #expect(e.message.contains("limit of \(RecipeLimits.maxBytes) bytes"))
    }

    @Test func oversizedAndEndlessFilesAreNotReadToTheEnd() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let big = "\(dir)/big.yaml"
        try Data(repeating: 0x20, count: RecipeLimits.maxBytes + 10).write(to: URL(fileURLWithPath: big))
        for path in [big, "/dev/zero"] {
            do {
                _ = try RecipeParser.load(path)
                Issue.record("\(path) accepted")
            } catch let e as RecipeError {
                #expect(e.file == path && e.message.contains("larger than the limit of \(RecipeLimits.maxBytes) bytes"))
            }
        }
        do {
            _ = try RecipeParser.load(dir)
            Issue.record("folder accepted")
        } catch let e as RecipeError {
            #expect(e.message.contains("is a folder"))
        }
    }

    @Test func nonUTF8TextNamesLineAndByte() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/latin1.yaml"
        try Data("name: x\ndescription: caf".utf8 + [0xE9] + Data("\npipeline: [quantize]\n".utf8)).write(to: URL(fileURLWithPath: path))
        do {
            _ = try RecipeParser.load(path)
            Issue.record("accepted")
        } catch let e as RecipeError {
            #expect(e.line == 2 && e.message.contains("not UTF-8") && e.message.contains("0xE9") && e.message.contains("offset 24"))
        }
    }

    @Test func resizeTargetBeyondThePlaneLimitFailsAtLoad() throws {
        let e = try #require(failure("name: x\npipeline:\n  - resize: {target_size: [16000, 16000]}\n"))
        #expect(e.line == 3 && e.key == "pipeline[0].resize.target_size")
        #expect(e.message.contains("\(RecipeLimits.maxResizePlane) samples per plane"))
        let side = try #require(failure("name: x\npipeline:\n  - resize: {target_size: [8, 40000]}\n"))
        #expect(side.message.contains("\(RecipeLimits.maxResizeSide) px a side"))
    }

    @Test func resizeScaleBeyondTheLimitFailsWhilePlanning() throws {
        let r = try RecipeParser.parse("name: x\npipeline:\n  - resize: {target_scale: 16}\n  - resize: {target_scale: 16}\n", file: "s.yaml")
        // target_scale multiplies the GT size: 1280×720 × 16 = 20480×11520, beyond the plane limit.
        #expect(throws: InputError.self) { try Planner.plan(recipe: r, seed: 0, clip: RecipeFixtures.clip) }
        do {
            _ = try Planner.plan(recipe: r, seed: 0, clip: RecipeFixtures.clip)
        } catch let e as InputError {
            #expect("\(e)".contains("pipeline[0].resize") && "\(e)".contains("samples per plane"))
        }
    }

    @Test func integerDrawsNeedAWholeNumberInTheirRange() throws {
        let jpeg = try #require(failure("name: x\npipeline:\n  - jpeg: {quality: [30.5, 30.7], integer_quality: true}\n"))
        #expect(jpeg.key == "pipeline[0].jpeg.quality" && jpeg.message.contains("holds no whole number"))
        let noise = try #require(failure("name: x\npipeline:\n  - noise: {gaussian_sigma: [1.5, 1.7], gaussian_sigma_integer: true}\n"))
        #expect(noise.key == "pipeline[0].noise.gaussian_sigma" && noise.line == 3)
        _ = try RecipeParser.parse("name: x\npipeline:\n  - jpeg: {quality: [30.5, 31], integer_quality: true}\n", file: "ok.yaml")
    }

    @Test func emptyClipDescriptionsAreRefusedWhilePlanning() throws {
        let r = try RecipeParser.parse("name: x\npipeline: [quantize]\n", file: "e.yaml")
        for clip in [ClipInfo(key: "a", frameCount: 0, width: 64, height: 64, origin: "test"),
                     ClipInfo(key: "b", frameCount: -3, width: 64, height: 64, origin: "test"),
                     ClipInfo(key: "c", frameCount: 5, width: 0, height: 64, origin: "test")] {
            #expect(throws: InputError.self) { try Planner.plan(recipe: r, seed: 0, clip: clip) }
        }
    }

    @Test func cropBeyondTheFrameLimitIsRefused() throws {
        let e = try #require(failure("name: x\ncrop: {size: 10000}\npipeline: [quantize]\n"))
        #expect(e.key == "crop.size" && e.allowed == "1…\(RecipeLimits.maxCropSide)")
    }

    @Test func pairedCropNotDivisibleByScaleHasFileAndLine() throws {
        let e = try #require(failure("name: x\nscale: 4\npaired_crop: 255\npipeline: [quantize]\n"))
        #expect(e.file == "bounds.yaml" && e.line == 3 && e.key == "paired_crop" && e.message.contains("divisible by scale 4"))
    }

    @Test func contradictoryKeepBeforeIsRefused() throws {
        let two = try #require(failure("name: x\npipeline:\n  - shuffle: {items: [quantize, clip], keep_before: [[0, 1], [1, 0]]}\n"))
        #expect(two.key == "pipeline[0].shuffle.keep_before" && two.message.contains("0 before 1 before 0"))
        let three = try #require(failure("name: x\npipeline:\n  - shuffle: {items: [quantize, clip, quantize], keep_before: [[0, 1], [1, 2], [2, 0]]}\n"))
        #expect(three.message.contains("contradict"))
        _ = try RecipeParser.parse("name: x\npipeline:\n  - shuffle: {items: [quantize, clip, quantize], keep_before: [[0, 1], [1, 2], [0, 2]]}\n", file: "ok.yaml")
    }

    @Test func keepBeforeWithHugeIndicesIsRefused() throws {
        let e = try #require(failure("name: x\npipeline:\n  - shuffle: {items: [quantize, clip], keep_before: [[0, 99999999999999999999999]]}\n"))
        #expect(e.key == "pipeline[0].shuffle.keep_before" && e.line == 3)
    }
}
