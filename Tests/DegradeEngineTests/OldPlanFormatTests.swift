import Foundation
import Testing
@testable import DegradeEngine

/// Plans written before plan steps were typed (`Fixtures/plan-v1*.json`, made by `degrade plan` of that version)
/// still load, validate and write back byte for byte: the JSON form did not change.
@Suite struct OldPlanFormat {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test(arguments: ["plan-v1.json", "plan-v1-bsrgan.json"])
    func loadsValidatesAndWritesTheSameBytes(_ name: String) throws {
        let path = "\(Self.fixtures)/\(name)"
        let plan = try PlanFile.read(path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try PlanFile.encode(plan) + "\n" == text)
        #expect(plan.steps.count > 5)
    }

    /// What changed in every plan since: the tool and sample-version fields (1280×720 needs no mod crop), and the
    /// recipe hash (the bundled recipes' `reference:` lines were reworded).
    static func unversioned(_ plan: DegradationPlan) -> DegradationPlan {
        var p = plan
        p.tool = ""
        p.sampleVersion = nil
        p.recipeHash = ""
        return p
    }

    /// …and in realbasicvsr the recipe text (`beta_rule: mmedit`) and the β it draws: everything else is as before.
    static func withoutBeta(_ plan: DegradationPlan) -> DegradationPlan {
        var p = unversioned(plan)
        p.steps = p.steps.map { step in
            var s = step
            if case .blur(var b) = s.op {
                b.frames = b.frames.map { f in
                    var f = f
                    f.beta = f.beta.map { _ in 0 }
                    return f
                }
                s.op = .blur(b)
            }
            return s
        }
        return p
    }

    @Test func theOldPlansAreTheOnesTheRecipesStillDraw() throws {
        let rbvsr = try PlanFile.read("\(Self.fixtures)/plan-v1.json")
        let redrawn = try Planner.plan(recipe: RecipeFixtures.bundled("realbasicvsr"), seed: 7, clip: RecipeFixtures.clip)
        #expect(redrawn.sampleVersion == DegradeVersion.sampleVersion && rbvsr.sampleVersion == nil)
        #expect(Self.withoutBeta(redrawn) == Self.withoutBeta(rbvsr))
        let bsrgan = try PlanFile.read("\(Self.fixtures)/plan-v1-bsrgan.json")
        #expect(try Self.unversioned(Planner.plan(recipe: RecipeFixtures.bundled("bsrgan"), seed: 3, clip: RecipeFixtures.clip)) == Self.unversioned(bsrgan))
        // The v1 files hold skipped steps, per-clip and per-frame payloads and payload-free steps.
        let kinds = Set((rbvsr.steps + bsrgan.steps).map(\.kind))
        #expect(kinds.isSuperset(of: [.blur, .resize, .noise, .jpeg, .video, .quantize, .clip]))
        #expect(bsrgan.steps.contains { !$0.applied })
        guard case .video(let video) = try #require(rbvsr.steps.first { $0.kind == .video }).op else {
            Issue.record("not a video step"); return
        }
        #expect(video.bitrate != nil)
    }
}
