import Foundation
import Testing
@testable import DegradeEngine

/// Every step kind describes its parameters (the catalog, gallery, audit and bench all read that description), so a
/// kind added without one is caught here rather than going silently missing from their output.
@Suite struct StepDescription {
    static let everyKind = """
        name: every-kind
        frames: 3
        pipeline:
          - blur: {kernel_list: [aniso], sigma_x_step: 0.1}
          - motion_blur: {length_step: 1}
          - resize: {resize_mode_prob: [0, 1, 0], resize_scale: [0.5, 1]}
          - noise: {noise_type: [gaussian]}
          - jpeg: {quality_step: 4}
          - video: {codec: [mpeg4]}
          - clip
          - quantize
          - noise: {prob: 0}
        """

    @Test func everyKindIsPlannedAndDescribed() throws {
        let plan = try Planner.plan(recipe: RecipeParser.parse(Self.everyKind), seed: 2,
                                    clip: .init(key: "c", frameCount: 3, width: 64, height: 48, origin: "test"))
        #expect(Set(plan.steps.map(\.kind)) == Set(StepKind.allCases))
        for step in plan.steps where step.applied {
            for t in 0..<plan.frameCount {
                let p = step.parameters(frame: t)
                #expect(!p.isEmpty, "\(step.name) has no description")
                #expect(Set(p.map(\.name)).count == p.count, "\(step.name): names repeat")
                #expect(p.allSatisfy { !$0.label.isEmpty && !$0.meaning.isEmpty && !$0.formatted.isEmpty })
            }
        }
        let skipped = try #require(plan.steps.last)
        #expect(!skipped.applied && skipped.kind == .noise && skipped.parameters(frame: 0).isEmpty)
    }

    @Test func walkedValuesChangeWithTheFrameAndUnitsShow() throws {
        let plan = try Planner.plan(recipe: RecipeParser.parse(Self.everyKind), seed: 2,
                                    clip: .init(key: "c", frameCount: 3, width: 64, height: 48, origin: "test"))
        let blur = try #require(plan.steps.first { $0.kind == .blur })
        let sx = (0..<3).map { t in blur.parameters(frame: t).first { $0.name == "sigma_x" }!.value }
        #expect(Set(sx.map { "\($0)" }).count > 1)
        #expect(blur.parameters(frame: 0).first { $0.name == "kernel_size" }!.formatted.contains("×"))
        #expect(blur.parameters(frame: 0).first { $0.name == "theta" }!.formatted.contains("rad"))
        let video = try #require(plan.steps.first { $0.kind == .video })
        #expect(video.parameters(frame: 0).first { $0.name == "bitrate" }!.formatted.hasSuffix("kbit/s"))
        let noise = try #require(plan.steps.first { $0.kind == .noise })
        #expect(noise.parameters(frame: 0).first { $0.name == "sigma" }!.formatted.hasSuffix("/ 255"))
    }
}
