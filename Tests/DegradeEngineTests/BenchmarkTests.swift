import Foundation
import Testing
import DegradeMedia
@testable import DegradeEngine

/// `degrade bench`'s engine side: the case-b recipe variant, and a tiny benchmark whose modes must agree.
@Suite struct BenchmarkTests {
    @Test func fullFrameVariantDropsTheCropAndScalesTheFinalResize() throws {
        let base = try RecipeFixtures.bundled("realbasicvsr")
        let full = BenchCase.b.recipe(from: base)
        #expect(base.clip.cropSize == 256 && full.clip.cropSize == nil)
        #expect(full.name == "realbasicvsr-fullframe" && full.hash != base.hash)
        // Every fixed-size resize, including the one inside the shuffle, became a ¼ target scale.
        func resizes(_ items: [RecipeItem]) -> [ResizeSpec] {
            items.flatMap { item -> [ResizeSpec] in
                switch item {
                case .op(_, .resize(let spec)): [spec]
                case .op: []
                case .shuffle(_, let groups, _): groups.flatMap(resizes)
                }
            }
        }
        let before = resizes(base.pipeline), after = resizes(full.pipeline)
        #expect(before.count == after.count && before.contains { $0.targetSize == [64, 64] })
        #expect(after.allSatisfy { $0.targetSize == nil })
        #expect(after.filter { $0.targetScale == 0.25 }.count == before.filter { $0.targetSize != nil }.count)
        // Planned on 720p clips, case b ends at 320×180 (or 180×320 when transposed).
        let clip = ClipInfo(key: "x", frameCount: 15, width: 1280, height: 720, origin: "test")
        let plan = try Planner.plan(recipe: full, seed: 1, clip: clip)
        let lq = try #require(plan.lqSizes.first)
        #expect(Set([lq.width, lq.height]) == [320, 180] && plan.crop == nil)
        #expect(BenchCase.a.recipe(from: base) == base)
    }

    @Test func everyModeGivesTheSameOutputsAndCountsEverySample() throws {
        let recipe = try RecipeParser.parse(ExecutionDeterminism.yaml)
        let source = MemorySource(clipsByKey: ["clip": RecipeFixtures.frames(5, width: 64, height: 56)])
        let bench = Benchmark(recipe: recipe, source: source, seed: 3, repeats: 2, warmup: 1)
        let result = try bench.run(.a, modes: [.serial, .clipJobs(2), .frameThreads(2)], variants: 2)
        #expect(result.modes.count == 3)
        #expect(Set(result.modes.map(\.outputDigest)).count == 1)
        for mode in result.modes {
            #expect(mode.samples == 4)  // 1 clip × 2 variants × 2 repeats
            #expect(mode.clipsPerSecond > 0 && mode.cpuMsPerClip > 0 && mode.peakRSSBytes > 0)
            #expect(Set(mode.ops.keys).isSuperset(of: ["prepare", "unsharp", "video"]))
        }
        #expect(result.framesPerClip == 6 && result.gtSize == "48×48" && result.sourceBytesPerSample == 3 * 48 * 48 * 3 * 4)
        // Another seed, other samples.
        let other = try Benchmark(recipe: recipe, source: source, seed: 4, repeats: 1, warmup: 0).run(.a, modes: [.serial], variants: 2)
        #expect(other.modes[0].outputDigest != result.modes[0].outputDigest)
    }
}
