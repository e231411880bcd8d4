import Foundation
import DegradeMedia
import Testing
@testable import DegradeEngine

@Suite struct PlanDeterminism {
    @Test func sameInputsSamePlan() throws {
        let r = try RecipeFixtures.bundled("realbasicvsr")
        let a = try Planner.plan(recipe: r, seed: 42, clip: RecipeFixtures.clip)
        let b = try Planner.plan(recipe: r, seed: 42, clip: RecipeFixtures.clip)
        #expect(a == b)
        let c = try Planner.plan(recipe: r, seed: 43, clip: RecipeFixtures.clip)
        #expect(a != c)
        let v = try Planner.plan(recipe: r, seed: 42, clip: RecipeFixtures.clip, variant: 1)
        #expect(v.key == "000#1" && v != a)
    }

    @Test func planSurvivesJSON() throws {
        let r = try RecipeFixtures.bundled("realbasicvsr")
        let plan = try Planner.plan(recipe: r, seed: 9, clip: RecipeFixtures.clip)
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(DegradationPlan.self, from: data) == plan)
    }

    @Test func editingOneOpLeavesTheOthersDrawsAlone() throws {
        let base = try RecipeFixtures.bundled("realbasicvsr")
        var edited = base
        // Change the first-order JPEG range; every other step's parameters must stay the same.
        guard case .op(let at, .jpeg(var spec)) = edited.pipeline[3] else { Issue.record("unexpected layout"); return }
        spec.quality = 50...60
        edited.pipeline[3] = .op(at: at, .jpeg(spec))
        let a = try Planner.plan(recipe: base, seed: 5, clip: RecipeFixtures.clip)
        let b = try Planner.plan(recipe: edited, seed: 5, clip: RecipeFixtures.clip)
        for (x, y) in zip(a.steps, b.steps) where x.at != at { #expect(x == y) }
        #expect(a.steps.first { $0.at == at } != b.steps.first { $0.at == at })
    }

    @Test func walksStayInRangeAndMove() throws {
        let r = try RecipeFixtures.bundled("realbasicvsr")
        var moved = false
        for seed in 0..<20 {
            let plan = try Planner.plan(recipe: r, seed: UInt64(seed), clip: RecipeFixtures.clip)
            for step in plan.steps {
                if case .noise(let n) = step.op, let s = n.sigmas {
                    #expect(s.allSatisfy { (1...30).contains($0) })
                    moved = moved || Set(s).count > 1
                }
                if case .jpeg(let j) = step.op { #expect(j.qualities.allSatisfy { (30...95).contains($0) }) }
                if case .blur(let b) = step.op, b.type == .aniso {
                    #expect(b.frames.allSatisfy { (0.2...3).contains($0.sigmaX) || (0.2...1.5).contains($0.sigmaX) })
                }
            }
        }
        #expect(moved)
    }

    @Test func shuffleOrderIsFiftyFifty() throws {
        let r = try RecipeFixtures.bundled("realbasicvsr")
        var videoFirst = 0
        let n = 400
        for seed in 0..<n {
            let plan = try Planner.plan(recipe: r, seed: UInt64(seed), clip: RecipeFixtures.clip)
            if plan.shuffles[0].order == [0, 1] { videoFirst += 1 }
        }
        // Binomial(400, 0.5): sd 10; 5 sd bounds.
        #expect(abs(videoFirst - n / 2) < 50)
    }

    @Test func keepBeforeHolds() throws {
        let r = try RecipeFixtures.bundled("bsrgan")
        for seed in 0..<100 {
            let plan = try Planner.plan(recipe: r, seed: UInt64(seed), clip: RecipeFixtures.clip)
            let order = plan.shuffles[0].order
            #expect(order.firstIndex(of: 2)! < order.firstIndex(of: 3)!)
        }
    }

    @Test func tooShortClipIsAClearError() throws {
        let r = try RecipeFixtures.bundled("realbasicvsr")
        let still = ClipInfo(key: "photo", frameCount: 1, width: 1920, height: 1280, origin: "x")
        #expect(throws: InputError.self) { try Planner.plan(recipe: r, seed: 0, clip: still) }
    }
}
