import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// A render reports where its CPU time went (sources, degrade, PNG, files, catalog) for the samples it rendered,
/// and nothing for a resume that had nothing left to do.
@Suite struct RenderPhaseTimes {
    static func job(stills: String, out: String) throws -> RenderJob {
        let spec = ClipSourceSpec(kind: .pan, path: stills, panFrames: 6, panWidth: 48, panHeight: 40)
        return RenderJob(recipe: try RenderFixtures.recipe(RenderFixtures.recipeYAML(name: "tiny-phases")), seed: 3,
                         sourceSpec: spec, out: out, selection: SampleSelection(), jobs: 1)
    }

    @Test func everyPhaseOfTheRenderedSamplesIsCharged() throws {
        let dir = try RenderFixtures.tempDir("phases")
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let summary = try Self.job(stills: stills, out: "\(dir)/out").run()
        #expect(summary.rendered == 2 && summary.phases.samples == 2)
        let ms = summary.phases.millisecondsPerSample
        #expect(Set(ms.keys) == Set(RenderPhases.Phase.allCases.map(\.rawValue)))
        // Each of these does real work for every sample: reading pans, degrading, compressing and writing PNGs.
        for phase in ["sources", "degrade", "encode", "files"] { #expect(ms[phase]! > 0, "\(phase): \(ms)") }
        #expect(summary.phases.summaryLine?.hasPrefix("CPU per clip: sources ") == true)

        let resumed = try Self.job(stills: stills, out: "\(dir)/out").run()
        #expect(resumed.rendered == 0 && resumed.phases.samples == 0)
        #expect(resumed.phases.millisecondsPerSample.isEmpty && resumed.phases.summaryLine == nil)
    }
}
