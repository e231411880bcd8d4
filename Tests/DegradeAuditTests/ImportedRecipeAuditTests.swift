import DegradeEngine
import Foundation
import Testing
@testable import DegradeAudit

/// Importing the fixture configs (modelled on Real-ESRGAN's x4plus options and mmedit's RealBasicVSR stage-1
/// config) gives recipes statistically equal to the shipped ones: the audit's plan-parameter comparison (KS /
/// χ² per quantity, Bonferroni at the default α) finds no quantity that differs. Plans only, no pixels; the two
/// sides use different seeds, so the comparison is a real two-sample test, not a replay.
@Suite struct ImportedRecipeAudit {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DegradeEngineTests/Fixtures/import").path
    static let samples = 400

    static func compare(imported file: String, shipped name: String) throws -> SetComparison {
        let text = try RecipeImport.run("\(fixtures)/\(file)").recipeText
        let imported = try RecipeParser.parse(text, file: "imported-\(name).yaml")
        let shipped = try AuditFixtures.bundled(name)
        func stats(_ r: Recipe, seed: UInt64) throws -> QuantitySet {
            try AuditPlans.statistics(recipe: r, seed: seed, clips: AuditPlans.syntheticClips(for: r), count: samples).quantities
        }
        return SetComparison(try stats(shipped, seed: 1), try stats(imported, seed: 2), labelA: name, labelB: "imported",
                             mode: .recipes)
    }

    static func check(_ c: SetComparison) {
        #expect(c.tests > 20, "the comparison tests many quantities (\(c.tests))")
        #expect(c.differing == 0, "differing: \(c.differingEntries.map { "\($0.at) \($0.name) p=\($0.result?.pValue ?? -1) \($0.note ?? "")" })")
    }

    @Test func realESRGANOptionsMatchTheShippedRecipe() throws {
        Self.check(try Self.compare(imported: "realesrgan_x4plus_options.yml", shipped: "realesrgan"))
    }

    @Test func realBasicVSRConfigMatchesTheShippedRecipe() throws {
        Self.check(try Self.compare(imported: "realbasicvsr_stage1.py", shipped: "realbasicvsr"))
    }

    @Test func aChangedValueIsDetected() throws {
        // The comparison can fail: the same import with the first-order noise σ raised differs.
        let text = try RecipeImport.run("\(Self.fixtures)/realesrgan_x4plus_options.yml").recipeText
        let changed = try RecipeParser.parse(text, file: "changed.yaml", overrides: try ConfigOverride.parse(["pipeline.2.noise.gaussian_sigma=[20, 50]"]))
        let shipped = try AuditFixtures.bundled("realesrgan")
        let a = try AuditPlans.statistics(recipe: shipped, seed: 1, clips: AuditPlans.syntheticClips(for: shipped), count: Self.samples).quantities
        let b = try AuditPlans.statistics(recipe: changed, seed: 2, clips: AuditPlans.syntheticClips(for: changed), count: Self.samples).quantities
        let c = SetComparison(a, b, labelA: "shipped", labelB: "changed", mode: .recipes)
        #expect(c.differingEntries.contains { $0.at == "pipeline[2].noise" })
    }
}
