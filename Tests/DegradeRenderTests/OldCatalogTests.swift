import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// A catalog rendered before plan steps were typed (`Fixtures/index-v1.sqlite`, from `Fixtures/recipe-v1.yaml`
/// over two stills) still loads: its plans decode and validate, equal what the recipe draws today (but for the
/// version fields), describe their
/// frames, and `degrade audit --against` checks the set.
@Suite struct OldCatalog {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// A copy in a fresh folder: opening a catalog may create its -wal/-shm files beside it.
    static func copy() throws -> String {
        let dir = try RenderFixtures.tempDir("v1")
        try FileManager.default.copyItem(atPath: "\(fixtures)/index-v1.sqlite", toPath: "\(dir)/index.sqlite")
        return dir
    }

    @Test func plansDecodeValidateAndAreWhatTheRecipeDraws() throws {
        let dir = try Self.copy()
        let catalog = try RenderCatalog(path: "\(dir)/index.sqlite", readOnly: true)
        let rows = try catalog.clipRows()
        #expect(rows.map(\.key) == ["life", "life#1", "seeding", "seeding#1"])
        let recipe = try RecipeParser.load("\(Self.fixtures)/recipe-v1.yaml")
        for row in rows {
            let plan = try PlanFile.decode(Data(row.plan.utf8), source: row.key)
            let clip = ClipInfo(key: plan.clip, frameCount: 1, width: plan.sourceSize.width, height: plan.sourceSize.height, origin: "v1")
            // Sample version 2 changed nothing this recipe draws at this size: only the tool and sample-version fields.
            var redrawn = try Planner.plan(recipe: recipe, seed: 5, clip: clip, variant: row.variant)
            #expect(redrawn.sampleVersion == DegradeVersion.sampleVersion && plan.sampleVersion == nil)
            redrawn.tool = plan.tool
            redrawn.sampleVersion = nil
            #expect(redrawn == plan, "\(row.key)")
            let params = FrameParameters(plan: plan, frame: 0)
            #expect(params.steps.map(\.op) == plan.steps.filter(\.applied).map(\.name))
            #expect(params.json().contains("\"quality\"") == plan.steps.contains { $0.kind == .jpeg && $0.applied })
        }
    }

    @Test func theAuditChecksTheOldSet() throws {
        let dir = try Self.copy()
        let r = try DegradeCLI.run(["audit", "\(Self.fixtures)/recipe-v1.yaml", "--against", "\(dir)/index.sqlite", "--samples", "100",
                                    "--out", "\(dir)/audit"], logDir: dir)
        #expect(r.status == 0 && !r.signalled, "\(r.stderr)")
        #expect(r.stdout.contains("pipeline[0].blur") && r.stdout.contains("4 plans"), "\(r.stdout)")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/audit/report.json"))
    }
}
