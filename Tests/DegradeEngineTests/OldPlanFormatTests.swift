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

    @Test func theOldPlansAreTheOnesTheRecipesStillDraw() throws {
        let rbvsr = try PlanFile.read("\(Self.fixtures)/plan-v1.json")
        #expect(try Planner.plan(recipe: RecipeFixtures.bundled("realbasicvsr"), seed: 7, clip: RecipeFixtures.clip) == rbvsr)
        let bsrgan = try PlanFile.read("\(Self.fixtures)/plan-v1-bsrgan.json")
        #expect(try Planner.plan(recipe: RecipeFixtures.bundled("bsrgan"), seed: 3, clip: RecipeFixtures.clip) == bsrgan)
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
