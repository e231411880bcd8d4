import Foundation
import Testing
@testable import DegradeEngine

/// Every numeric key the recipe parser reads — found by parsing a recipe that names every op and section with
/// a key log on, so a key added later is covered without editing this file — is fed extreme numbers. Each must
/// give a RecipeError naming the key (exit status 2), never a trap.
@Suite struct ExtremeNumbers {
    /// Values no key may accept, as YAML text.
    static let impossible = ["1e19", "-1e23", "99999999999999999999999", ".nan", ".inf", "-.inf", "1e400",
                             "9223372036854775808", "1e400pi"]
    /// Values some keys accept: they must parse or fail cleanly.
    static let edge = ["-1", "0", "-0", "2147483648"]

    /// The shapes a value is written in for a key read as `kind`: a bare number, and the lists a range or list takes.
    static func forms(_ v: String, _ kind: ConfigNode.ReadKind) -> [String] {
        switch kind {
        case .number, .integer: [v, "[\(v)]"]
        case .range: [v, "[\(v), \(v)]", "[0, \(v)]"]
        default: ["[\(v)]", "[0, \(v)]"]
        }
    }

    /// A recipe with every op and every top-level section, each with its keys left at their defaults.
    static let everything = """
        name: discovery
        scale: 4
        frames: 5
        frame_interval: 1
        crop: {size: 64}
        flip: {}
        unsharp: {}
        paired_crop: 64
        pipeline:
          - blur: {}
          - resize: {}
          - noise: {}
          - jpeg: {}
          - video: {}
          - quantize
        """

    static func numericKeys() throws -> [(path: String, kind: ConfigNode.ReadKind)] {
        let log = ConfigNode.KeyLog()
        try ConfigNode.$keyLog.withValue(log) { _ = try RecipeParser.parse(everything, file: "discovery.yaml") }
        let numeric: Set<ConfigNode.ReadKind> = [.number, .integer, .range, .numbers]
        var seen = Set<String>()
        return log.reads.filter { numeric.contains($0.kind) && seen.insert($0.path).inserted }
    }

    /// The recipe text with `path` (e.g. `pipeline[0].blur.sigma_x`, `crop.size`, `scale`) set to `value`.
    static func recipe(setting path: String, to value: String) -> String {
        let parts = path.split(separator: ".").map(String.init)
        if parts[0].hasPrefix("pipeline[") {
            return "name: x\npipeline:\n  - \(parts[1]): {\(parts[2]): \(value)}\n"
        }
        if parts.count == 2 {
            let required = parts[0] == "crop" && parts[1] != "size" ? "size: 64, " : ""
            return "name: x\n\(parts[0]): {\(required)\(parts[1]): \(value)}\npipeline: [quantize]\n"
        }
        return "name: x\n\(parts[0]): \(value)\npipeline: [quantize]\n"
    }

    @Test func discoveryFindsTheKeysOfEveryOp() throws {
        let paths = Set(try Self.numericKeys().map(\.path))
        for expected in ["pipeline[0].blur.kernel_size", "pipeline[0].blur.sigma_x", "pipeline[1].resize.target_size",
                         "pipeline[2].noise.gaussian_sigma", "pipeline[3].jpeg.quality", "pipeline[4].video.bitrate",
                         "pipeline[4].video.quality", "crop.size", "frames", "paired_crop", "unsharp.kernel_size", "flip.horizontal"] {
            #expect(paths.contains(expected), "\(expected) not discovered")
        }
        #expect(paths.count >= 50)
    }

    @Test func impossibleValuesAreRejectedWithTheKey() throws {
        var cases = 0
        for (path, kind) in try Self.numericKeys() {
            let key = path.replacingOccurrences(of: #"pipeline\[\d+\]"#, with: "pipeline[0]", options: .regularExpression)
            for value in Self.impossible {
                for form in Self.forms(value, kind) {
                    cases += 1
                    let text = Self.recipe(setting: key, to: form)
                    do {
                        _ = try RecipeParser.parse(text, file: "extreme.yaml")
                        Issue.record("\(key): \(form) was accepted")
                    } catch let e as RecipeError {
                        #expect(e.key.hasPrefix(key), "\(key) = \(form): error names \(e.key): \(e)")
                        #expect(e.line != nil, "\(key) = \(form): no line in \(e)")
                    }
                }
            }
        }
        #expect(cases > 1000)
    }

    @Test func edgeValuesParseOrFailCleanly() throws {
        for (path, kind) in try Self.numericKeys() {
            let key = path.replacingOccurrences(of: #"pipeline\[\d+\]"#, with: "pipeline[0]", options: .regularExpression)
            for value in Self.edge {
                for form in Self.forms(value, kind) {
                    do {
                        _ = try RecipeParser.parse(Self.recipe(setting: key, to: form), file: "edge.yaml")
                    } catch let e as RecipeError {
                        #expect(e.key.hasPrefix(key) || e.key == "pipeline[0]." + key.split(separator: ".")[1],
                                "\(key) = \(form): \(e)")
                    }
                }
            }
        }
    }

    /// Lists of choices and of numbers: empty, and the recipe must still be refused or plan without a trap.
    @Test func emptyListsAreRejectedOrPlanned() throws {
        let log = ConfigNode.KeyLog()
        try ConfigNode.$keyLog.withValue(log) { _ = try RecipeParser.parse(Self.everything, file: "discovery.yaml") }
        let lists = Set(log.reads.filter { [.names, .numbers, .range].contains($0.kind) && $0.path.hasPrefix("pipeline") }.map(\.path))
        #expect(lists.count >= 10)
        for path in lists.sorted() {
            let key = path.replacingOccurrences(of: #"pipeline\[\d+\]"#, with: "pipeline[0]", options: .regularExpression)
            do {
                let recipe = try RecipeParser.parse(Self.recipe(setting: key, to: "[]"), file: "empty.yaml")
                _ = try Planner.plan(recipe: recipe, seed: 0, clip: RecipeFixtures.clip)
            } catch let e as RecipeError {
                #expect(e.key.hasPrefix("pipeline[0]."), "\(key): \(e)")
            }
        }
    }

    @Test func hugeIntegerSaysOutOfRange() throws {
        do {
            _ = try RecipeParser.parse("name: x\nframes: 9223372036854775807\npipeline: [quantize]\n", file: "f.yaml")
            Issue.record("accepted")
        } catch let e as RecipeError {
            #expect(e.line == 2 && e.key == "frames")
            #expect(e.message == "9223372036854775807 is out of range" && e.allowed == "1…10000")
        }
    }

    @Test func hugeKernelSizeSaysOutOfRange() throws {
        do {
            _ = try RecipeParser.parse("name: x\npipeline:\n  - blur: {kernel_size: [99999999999999999999999]}\n", file: "k.yaml")
            Issue.record("accepted")
        } catch let e as RecipeError {
            #expect(e.line == 3 && e.key == "pipeline[0].blur.kernel_size" && e.message.contains("out of range") && e.allowed == "odd integers within 1…51")
        }
    }
}
