import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation
import Testing
@testable import DegradeAudit

/// The audit at scale keeps the same results: statistics counted one plan at a time (fresh plans, or catalog rows
/// read one by one) equal those of the whole list, and sample counts beyond the machine's memory are refused up front.
@Suite struct AuditScale {
    @Test func streamedStatisticsEqualThoseOfTheWholeList() throws {
        let recipe = try AuditFixtures.smallRecipe()
        let clips = AuditPlans.syntheticClips(for: recipe)
        let plans = try AuditPlans.draw(recipe: recipe, seed: 3, clips: clips, count: 60)
        let streamed = try AuditPlans.statistics(recipe: recipe, seed: 3, clips: clips, count: 60)
        #expect(streamed == ParameterStatistics(plans: plans))
        #expect(streamed.plans == 60 && streamed.quantity("clip", "frames")?.clipCount == 60)
    }

    @Test func catalogRowsReadOneByOneMatchTheCatalogsPlans() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-scale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try AuditFixtures.smallRecipe()
        let bench = AuditBenchmark(recipe: recipe, samples: 1, clips: AuditBenchmark.sourceClips + 20, seed: 5)
        try bench.buildCatalog(at: "\(dir)/index.sqlite")
        let catalog = try RenderCatalog(path: "\(dir)/index.sqlite", readOnly: true)
        let all = try catalog.plans()
        let read = try CatalogPlans(catalog: catalog, path: dir)
        #expect(all.count == AuditBenchmark.sourceClips + 20 && read.statistics == ParameterStatistics(plans: all))
        #expect(read.clips.map(\.key) == AuditPlans.clips(of: all).map(\.key) && read.clips.count == AuditBenchmark.sourceClips)
        // A synthetic set of the recipe passes its own audit.
        let report = try Audit(recipe: recipe, samples: 200, seed: 9, against: dir).run()
        #expect(report.catalog?.clips == AuditBenchmark.sourceClips + 20 && report.comparison?.tests ?? 0 > 10 && report.passed)
    }

    @Test func sampleCountsBeyondMemoryAreRefused() throws {
        try Audit.checkMemory(samples: 100_000, recipes: 2, physicalMemory: 8 << 30)
        #expect(throws: InputError.self) { try Audit.checkMemory(samples: 1_000_000, recipes: 1, physicalMemory: 8 << 30) }
        do {
            try Audit.checkMemory(samples: 1_000_000, recipes: 2, physicalMemory: 8 << 30)
        } catch let e as InputError {
            #expect("\(e)".contains("--samples 1000000 would need about 20.0 GB") && "\(e)".contains("use at most 214748"))
        }
    }
}
