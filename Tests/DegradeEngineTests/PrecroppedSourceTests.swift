import Foundation
import Testing
import DegradeMedia
@testable import DegradeEngine

/// Cropping recipes load only the crop window; the executor gives the same bytes from it as from whole frames.
@Suite struct PrecroppedSource {
    @Test func cropWindowInputGivesTheSameClip() throws {
        let recipe = try RecipeParser.parse(ExecutionDeterminism.yaml)
        let frames = RecipeFixtures.frames(5, width: 64, height: 56)
        let source = MemorySource(clipsByKey: ["clip": frames])
        let maker = SampleMaker(recipe: recipe, seed: 4, source: source)
        let plan = try maker.plan(clip: try source.clips()[0])
        let region = try #require(plan.sourceRegion)
        #expect(region.width == 48 && region.height == 48)

        let loaded = try SampleMaker.loadFrames(for: plan, from: source)
        #expect(loaded.allSatisfy { $0.width == 48 && $0.height == 48 })
        let whole = plan.sourceFrames.map { frames[$0] }
        #expect(loaded == whole.map { $0.cropped(to: region) })

        let fromCrop = try Executor().run(plan, source: loaded)
        let fromWhole = try Executor().run(plan, source: whole)
        #expect(fromCrop.lq == fromWhole.lq && fromCrop.gt == fromWhole.gt && fromCrop.gtUnsharp == fromWhole.gtUnsharp)
        // Anything else is still refused.
        #expect(throws: InputError.self) { try Executor().run(plan, source: whole.map { $0.cropped(to: PixelRegion(x: 0, y: 0, width: 40, height: 40)) }) }
    }

    @Test func paddedCropsReadWholeFrames() throws {
        let yaml = ExecutionDeterminism.yaml.replacingOccurrences(of: "crop: {size: 48}", with: "crop: {size: 60, pad_if_smaller: true}")
        let recipe = try RecipeParser.parse(yaml)
        let source = MemorySource(clipsByKey: ["clip": RecipeFixtures.frames(5, width: 64, height: 56)])
        let plan = try SampleMaker(recipe: recipe, seed: 4, source: source).plan(clip: try source.clips()[0])
        #expect(plan.crop?.padded == true && plan.sourceRegion == nil)
    }
}
