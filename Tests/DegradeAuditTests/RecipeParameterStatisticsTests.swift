import DegradeEngine
import Foundation
import Testing
@testable import DegradeAudit

/// 2000 plans of recipes/realbasicvsr.yaml against the recipe's numbers (mmedit 0.16.1's RealBasicVSR config).
@Suite struct RecipeParameterStatistics {
    static let n = 2000
    static let stats: Result<ParameterStatistics, Error> = Result {
        let recipe = try AuditFixtures.bundled("realbasicvsr")
        let plans = try AuditPlans.draw(recipe: recipe, seed: 1, clips: AuditPlans.syntheticClips(for: recipe), count: n)
        return ParameterStatistics(plans: plans)
    }

    /// Within 5 binomial standard deviations of p.
    static func near(_ rate: Double, _ p: Double, n: Int) -> Bool {
        abs(rate - p) <= 5 * (p * (1 - p) / Double(n)).squareRoot()
    }

    @Test func blurApplicationRates() throws {
        let s = try Self.stats.get()
        #expect(s.plans == Self.n)
        #expect(s.step("pipeline[0].blur")?.planned == Self.n)
        #expect(s.applicationRate("pipeline[0].blur") == 1)
        let second = try #require(s.applicationRate("pipeline[5].blur"))
        #expect(Self.near(second, 0.8, n: Self.n), "pipeline[5] blur rate \(second)")
        let final = try #require(s.applicationRate("pipeline[9].shuffle[1][1].blur"))
        #expect(Self.near(final, 0.8, n: Self.n), "final sinc rate \(final)")
    }

    @Test func kernelTypeFrequencies() throws {
        let s = try Self.stats.get()
        let kernels = try #require(s.quantity("pipeline[0].blur", "kernel")).labels
        #expect(kernels.count == Self.n)
        let expected: [String: Double] = ["sinc": 0.1, "iso": 0.405, "aniso": 0.225, "generalized_iso": 0.108,
                                          "generalized_aniso": 0.027, "plateau_iso": 0.108, "plateau_aniso": 0.027]
        for (type, p) in expected {
            let rate = Double(kernels.filter { $0 == type }.count) / Double(kernels.count)
            #expect(Self.near(rate, p, n: kernels.count), "\(type): \(rate)")
        }
        // The final unit's blur is sinc only, with ω in [π/3, π].
        let final = try #require(s.quantity("pipeline[9].shuffle[1][1].blur", "kernel")).labels
        #expect(Set(final) == ["sinc"])
        let omega = try #require(s.quantity("pipeline[9].shuffle[1][1].blur", "omega")).values
        #expect(omega.allSatisfy { $0 >= 1.0472 - 1e-9 && $0 <= 3.1416 + 1e-9 })
    }

    @Test func rangesAndDrift() throws {
        let s = try Self.stats.get()
        for at in ["pipeline[3].jpeg", "pipeline[8].jpeg"] {
            let q = try #require(s.quantity(at, "quality")).values
            #expect(q.count == Self.n)
            #expect(q.allSatisfy { (30...95).contains($0) })
            #expect(q.min()! <= 32 && q.max()! >= 93, "the draws cover the range")
            let drift = try #require(s.quantity(at, "quality_drift"))
            #expect(drift.scope == .frame)
            #expect(drift.values.allSatisfy { $0 <= 3 + 1e-9 }, "a quality walk moves by at most its step, rounded")
        }
        let sigma = try #require(s.quantity("pipeline[0].blur", "sigma_x")).values
        #expect(sigma.allSatisfy { (0.2...3).contains($0) })
        let drift = try #require(s.quantity("pipeline[0].blur", "sigma_x_drift"))
        #expect(drift.values.allSatisfy { $0 <= 0.02 + 1e-12 })
        // 30 frames per clip: 29 drift values each, one test value (the clip mean) per clip.
        #expect(drift.groups.allSatisfy { $0.count == 29 })
        #expect(drift.testValues.count == drift.groups.count)
        let second = try #require(s.quantity("pipeline[5].blur", "sigma_x")).values
        #expect(second.allSatisfy { (0.2...1.5).contains($0) })
        // Codec mix: libx264 2/3 (h264 resolves to it), mpeg4 1/3.
        let codecs = try #require(s.quantity("pipeline[4].video", "codec")).labels
        #expect(Self.near(Double(codecs.filter { $0 == "libx264" }.count) / Double(codecs.count), 2.0 / 3, n: codecs.count))
        let bitrate = try #require(s.quantity("pipeline[4].video", "bitrate")).values
        #expect(bitrate.allSatisfy { (10_000...100_000).contains($0) })
        // The shuffle draws each order about half the time.
        let orders = try #require(s.quantity("pipeline[9].shuffle", "order")).labels
        #expect(Self.near(Double(orders.filter { $0 == "0,1" }.count) / Double(orders.count), 0.5, n: orders.count))
        #expect(s.quantity("clip", "lq_width")?.values.allSatisfy { $0 == 64 } == true)
    }

    @Test func aRecipeComparedWithItselfShowsNoDifference() throws {
        let recipe = try AuditFixtures.smallRecipe()
        let clips = AuditPlans.syntheticClips(for: recipe)
        let a = ParameterStatistics(plans: try AuditPlans.draw(recipe: recipe, seed: 0, clips: clips, count: 500, keyPrefix: "a"))
        let b = ParameterStatistics(plans: try AuditPlans.draw(recipe: recipe, seed: 0, clips: clips, count: 500, keyPrefix: "b"))
        let c = SetComparison(a.quantities, b.quantities, labelA: "A", labelB: "B", mode: .recipes)
        #expect(c.tests > 5)
        #expect(c.differing == 0, "\(c.differingEntries.map { "\($0.at) \($0.name)" })")
        let other = try AuditFixtures.smallRecipe(name: "other", quality: "[80, 95]")
        let d = ParameterStatistics(plans: try AuditPlans.draw(recipe: other, seed: 0, clips: clips, count: 500, keyPrefix: "b"))
        let diff = SetComparison(a.quantities, d.quantities, labelA: "A", labelB: "other", mode: .recipes)
        #expect(diff.differingEntries.map { "\($0.at) \($0.name)" } == ["pipeline[3].jpeg quality"])
    }
}
