import Foundation
import Testing
import DegradeMedia
@testable import DegradeEngine

/// An executor that does not keep the sharpened GT (a render without gt_unsharp/) gives the same GT and LQ, makes
/// the sharpened GT only when the LQ is synthesised from it, and `GroundTruthSharpening` gives it back from the GT.
@Suite struct SharpenedGroundTruth {
    static func run(lqFrom: String, keeps: Bool) throws -> DegradedClip {
        let yaml = ExecutionDeterminism.yaml.replacingOccurrences(of: "unsharp: {kernel_size: 9}\n", with: "unsharp: {kernel_size: 9}\nlq_from: \(lqFrom)\n")
        let recipe = try RecipeParser.parse(yaml)
        let source = MemorySource(clipsByKey: ["clip": RecipeFixtures.frames(5, width: 64, height: 56)])
        var executor = Executor(threads: 1)
        executor.keepsSharpenedGroundTruth = keeps
        let maker = SampleMaker(recipe: recipe, seed: 4, source: source, executor: executor)
        return try maker.make(try maker.plan(clip: try source.clips()[0]))
    }

    @Test(arguments: ["gt", "gt_unsharp"]) func droppingItChangesNothingElse(lqFrom: String) throws {
        let kept = try Self.run(lqFrom: lqFrom, keeps: true)
        let dropped = try Self.run(lqFrom: lqFrom, keeps: false)
        #expect((dropped.gtUnsharp == nil) == (lqFrom == "gt"))
        #expect(dropped.gt == kept.gt && dropped.lq == kept.lq)
        let sharpened = try #require(kept.gtUnsharp)
        #expect(sharpened != kept.gt)
        #expect(GroundTruthSharpening.apply(kept.gt, plan: kept.plan) == sharpened)
        // Not made at all when only the output would have used it.
        #expect((dropped.opSeconds["unsharp"] != nil) == (lqFrom == "gt_unsharp"))
    }
}
