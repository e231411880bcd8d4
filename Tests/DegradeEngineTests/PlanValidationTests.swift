import DegradeMedia
import Foundation
import Testing
@testable import DegradeEngine

/// The checks a plan file must pass accept everything the planner draws, and refuse inconsistent sizes by path.
@Suite struct PlanValidation {
    @Test(arguments: ["realbasicvsr", "realesrgan", "bsrgan", "bicubic", "modern-streaming", "handheld"])
    func everyPlanTheRecipesDrawPasses(_ name: String) throws {
        let recipe = try RecipeFixtures.bundled(name)
        for seed in 0..<150 {
            let clip = ClipInfo(key: "c\(seed % 3)", frameCount: 100, width: [1280, 480, 300][seed % 3], height: [720, 270, 500][seed % 3], origin: "test")
            guard let plan = try? Planner.plan(recipe: recipe, seed: UInt64(seed), clip: clip) else { continue }  // clip too small for the crop
            try plan.validate()
            try plan.validate(against: clip)
        }
    }

    @Test func inconsistentSizesAreRefusedByPath() throws {
        let recipe = try RecipeFixtures.bundled("realesrgan")
        let plan = try Planner.plan(recipe: recipe, seed: 1, clip: RecipeFixtures.clip)
        func message(_ edit: (inout DegradationPlan) -> Void) -> String {
            var p = plan
            edit(&p)
            do { try p.validate(); return "accepted" } catch { return "\(error)" }
        }
        let gt = message { $0.gtSize.width += 1 }, lq = message { $0.lqSizes[$0.lqSizes.count - 1].height = 63 }
        let crop = message { $0.crop?.x = 5000 }, paired = message { $0.pairedCrop?.lqX = 999 }
        let frames = message { $0.sourceFrames.append(0) }, unchanged = message { _ in }
        #expect(gt.hasPrefix("plan gtSize: "), "\(gt)")
        #expect(lq.hasPrefix("plan lqSizes[\(plan.lqSizes.count - 1)]: "), "\(lq)")
        #expect(crop.hasPrefix("plan crop.x: 5000 is out of range"), "\(crop)")
        #expect(paired.hasPrefix("plan pairedCrop.lqX: "), "\(paired)")
        #expect(frames.hasPrefix("plan frameCount: "), "\(frames)")
        #expect(unchanged == "accepted")
        #expect(throws: InputError.self) { try plan.validate(against: ClipInfo(key: "000", frameCount: 100, width: 640, height: 360, origin: "t")) }
    }
}
