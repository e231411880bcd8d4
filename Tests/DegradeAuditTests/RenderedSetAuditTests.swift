import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation
import Testing
@testable import DegradeAudit

/// Renders a small set (one 4-frame 64×64 clip, 12 variants of 2 frames cropped to 48) and audits it.
@Suite(.serialized) struct RenderedSetAudit {
    static let rendered: Result<String, Error> = Result {
        let root = try AuditFixtures.tempDir("set")
        try AuditFixtures.writeClips(["000"], frames: 4, size: 64, to: "\(root)/src")
        let job = RenderJob(recipe: try AuditFixtures.smallRecipe(), seed: 3, sourceSpec: ClipSourceSpec(kind: .reds, path: "\(root)/src"),
                            out: "\(root)/set", selection: SampleSelection(repeatCount: 12), jobs: 2)
        _ = try job.run()
        return "\(root)/set"
    }

    @Test func passesAgainstItsOwnRecipe() throws {
        let set = try Self.rendered.get()
        let report = try Audit(recipe: try AuditFixtures.smallRecipe(), samples: 1500, seed: 9, against: "\(set)/index.sqlite").run()
        let c = try #require(report.comparison)
        #expect(c.mode == .against)
        #expect(c.tests >= 8)
        #expect(c.differing == 0, "\(c.differingEntries.map { "\($0.at) \($0.name) p=\($0.result?.pValue ?? -1)" })")
        #expect(report.passed)
        #expect(report.warnings.isEmpty)
        #expect(report.catalog?.recipeHashMatches == true)
        #expect(report.catalog?.clips == 12)
        #expect(report.parameters.count == 2 && report.parameters[1].plans == 12)
    }

    @Test func failsAgainstADifferentRecipe() throws {
        let set = try Self.rendered.get()
        let other = try AuditFixtures.smallRecipe(sigma: "[2, 3]", noise: "[20, 30]", quality: "[85, 95]")
        let report = try Audit(recipe: other, samples: 1500, seed: 9, against: set).run()
        let c = try #require(report.comparison)
        #expect(!report.passed)
        let differing = Set(c.differingEntries.map { "\($0.at) \($0.name)" })
        for id in ["pipeline[0].blur sigma_x", "pipeline[2].noise sigma", "pipeline[3].jpeg quality"] {
            #expect(differing.contains(id), "\(id) should be flagged; flagged: \(differing)")
        }
        #expect(report.catalog?.recipeHashMatches == false)
        #expect(report.warnings.contains { $0.contains("RECIPE MISMATCH") })
    }

    @Test func imageStatisticsOfRenderedClips() throws {
        let frames = (0..<4).map { AuditFixtures.texture(width: 64, height: 64, phase: Double(2 * $0)) }
        let maker = SampleMaker(recipe: try AuditFixtures.smallRecipe(), seed: 1, source: MemorySource(clipsByKey: ["a": frames]))
        let q = try ImageStatistics.collect(maker: maker, count: 2, jobs: 2)
        let psnr = try #require(q.quantity("image", "psnr_y"))
        #expect(psnr.groups.count == 2 && psnr.values.count == 4)
        #expect(psnr.values.allSatisfy { $0 > 15 && $0 < 60 }, "\(psnr.values)")
        let noise = try #require(q.quantity("image", "noise_sigma")).values
        #expect(noise.allSatisfy { $0 > 0 })
        #expect(q.quantity("image", "lq_size")?.labels == Array(repeating: "24×24", count: 4))
        let bpp = try #require(q.quantity("pipeline[3].jpeg", "bpp")).values
        #expect(bpp.count == 2 && bpp.allSatisfy { $0 > 0.1 && $0 < 24 }, "\(bpp)")
        // The same renders whatever the worker count.
        #expect(try ImageStatistics.collect(maker: maker, count: 2, jobs: 1) == q)
    }
}
