import DegradeEngine
import Foundation
import Testing
@testable import DegradeRender

/// `degrade apply --plan FILE` with hand-edited plans: each bad one exits 2 naming the file and the JSON path,
/// leaves no output folder, and is never a crash.
@Suite struct PlanFileCommand {
    /// A plan made by `degrade plan` for the tiny recipe over a pan of one still, and the folders it needs.
    static func setUp() throws -> (dir: String, recipe: String, stills: String, plan: [String: Any]) {
        let dir = try RenderFixtures.tempDir("planfile")
        let stills = try RenderFixtures.stillsFolder(count: 1, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let r = try DegradeCLI.run(["plan", recipe, "--input", stills, "--source", "pan", "--key", "s01@pan", "--seed", "3"], logDir: dir)
        try #require(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return (dir, recipe, stills, json)
    }

    static func apply(_ plan: [String: Any], _ s: (dir: String, recipe: String, stills: String, plan: [String: Any]), name: String) throws -> DegradeCLI.Result {
        let file = "\(s.dir)/\(name).json"
        try JSONSerialization.data(withJSONObject: plan).write(to: URL(fileURLWithPath: file))
        return try DegradeCLI.run(["apply", s.recipe, "--input", s.stills, "--source", "pan", "--plan", file, "--out", "\(s.dir)/out-\(name)"],
                                  logDir: s.dir)
    }

    static func step(_ plan: [String: Any], op: String) throws -> (Int, [String: Any]) {
        let steps = try #require(plan["steps"] as? [[String: Any]])
        let i = try #require(steps.firstIndex { $0["op"] as? String == op && $0["applied"] as? Bool == true })
        return (i, steps[i])
    }

    static func replacingStep(_ plan: [String: Any], at i: Int, with step: [String: Any]) -> [String: Any] {
        var p = plan
        var steps = p["steps"] as! [[String: Any]]
        steps[i] = step
        p["steps"] = steps
        return p
    }

    @Test func badPlansExitTwoNamingTheJSONPath() throws {
        let s = try Self.setUp()
        let good = try Self.apply(s.plan, s, name: "good")
        #expect(good.status == 0, "\(good.stderr)")

        let (b, blurStep) = try Self.step(s.plan, op: "blur")
        var blur = blurStep["blur"] as! [String: Any]
        var cases: [(String, [String: Any], String)] = []
        // A missing field.
        var noSize = blur
        noSize["size"] = nil
        cases.append(("missing", Self.replacingStep(s.plan, at: b, with: blurStep.merging(["blur": noSize]) { $1 }), "steps[\(b)].blur.size: missing"))
        // A wrong type.
        var typed = blur
        typed["size"] = "seven"
        cases.append(("type", Self.replacingStep(s.plan, at: b, with: blurStep.merging(["blur": typed]) { $1 }), "steps[\(b)].blur.size: wrong type"))
        // A number its integer field cannot hold (Foundation alone reports it as "not valid JSON", without a path).
        var huge = blur
        huge["size"] = 1e30
        cases.append(("huge", Self.replacingStep(s.plan, at: b, with: blurStep.merging(["blur": huge]) { $1 }), "steps[\(b)].blur.size: 1e+30 is not an integer"))
        // An unknown kernel family.
        var box = blur
        box["type"] = "box"
        cases.append(("family", Self.replacingStep(s.plan, at: b, with: blurStep.merging(["blur": box]) { $1 }), "steps[\(b)].blur.type: unknown value `box`, expected one of iso"))
        // A per-frame list one short.
        var frames = blur["frames"] as! [Any]
        frames.removeLast()
        blur["frames"] = frames
        cases.append(("frames", Self.replacingStep(s.plan, at: b, with: blurStep.merging(["blur": blur]) { $1 }), "steps[\(b)].blur.frames: 3 values, expected one per frame (4)"))
        // An unknown step kind.
        cases.append(("kind", Self.replacingStep(s.plan, at: b, with: blurStep.merging(["op": "blurr"]) { $1 }), "steps[\(b)].op: unknown step kind `blurr`"))
        // A negative σ.
        let (n, noiseStep) = try Self.step(s.plan, op: "noise")
        var noise = noiseStep["noise"] as! [String: Any]
        let key = noise["sigmas"] != nil ? "sigmas" : "scales"
        var values = noise[key] as! [Double]
        values[1] = -2
        noise[key] = values
        cases.append(("negative", Self.replacingStep(s.plan, at: n, with: noiseStep.merging(["noise": noise]) { $1 }), "steps[\(n)].noise.\(key)[1]: -2.0 is out of range"))

        for (name, plan, expected) in cases {
            let r = try Self.apply(plan, s, name: name)
            #expect(r.status == 2 && !r.signalled, "\(name): status \(r.status)")
            #expect(r.stderr.contains("\(s.dir)/\(name).json") && r.stderr.contains(expected), "\(name): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(s.dir)/out-\(name)"), "\(name) left an output folder")
        }
    }

    @Test func aPlanThatIsNotJSONOrMissingIsAClearError() throws {
        let s = try Self.setUp()
        try Data("{\"tool\": NaN}".utf8).write(to: URL(fileURLWithPath: "\(s.dir)/nan.json"))
        for (file, expected) in [("\(s.dir)/nan.json", "not JSON"), ("\(s.dir)/absent.json", "no such file")] {
            let r = try DegradeCLI.run(["apply", s.recipe, "--input", s.stills, "--source", "pan", "--plan", file, "--out", "\(s.dir)/o"], logDir: s.dir)
            #expect(r.status == 2 && r.stderr.contains(file) && r.stderr.contains(expected), "\(r.stderr)")
            #expect(!r.stderr.contains("NSCocoaErrorDomain"))
        }
    }
}
