import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// The catalog's per-frame parameters and the gallery's stage captions are both the plan's own description of a
/// step: a new op (motion blur) shows up in both with no code of its own here.
@Suite struct StepDescriptionConsumers {
    static func handheldPlan() throws -> DegradationPlan {
        let recipe = try RecipeParser.parse("""
            name: streaks
            frames: 3
            pipeline:
              - motion_blur: {length: [2, 9], length_step: 1, angle_step: 0.1}
              - jpeg: {quality: [50, 60]}
            """)
        return try Planner.plan(recipe: recipe, seed: 4, clip: ClipInfo(key: "c", frameCount: 3, width: 40, height: 30, origin: "test"))
    }

    @Test func catalogParametersNameEveryValueOfTheFrame() throws {
        let plan = try Self.handheldPlan()
        guard case .motionBlur(let m) = plan.steps[0].op else { Issue.record("motion blur skipped"); return }
        for t in 0..<3 {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(FrameParameters(plan: plan, frame: t).json().utf8)) as? [String: Any])
            let steps = try #require(json["steps"] as? [[String: Any]])
            #expect(steps[0]["op"] as? String == "motion_blur" && steps[0]["at"] as? String == "pipeline[0].motion_blur")
            let length = try #require((steps[0]["length"] as? NSNumber)?.doubleValue), angle = try #require((steps[0]["angle"] as? NSNumber)?.doubleValue)
            #expect(abs(length - m.lengths[t]) < 1e-12 && abs(angle - m.angles[t]) < 1e-12, "\(length) \(m.lengths[t])")
            #expect(steps[0]["kernel_size"] as? String == String(m.size))
            #expect(steps[1]["quality"] as? Int != nil)
        }
    }

    @Test func galleryCaptionsShowTheValuesWithUnits() throws {
        let plan = try Self.handheldPlan()
        guard case .motionBlur(let m) = plan.steps[0].op else { Issue.record("motion blur skipped"); return }
        let captions = StageStrip.stepParameters(plan.steps[0], bytes: nil)
        #expect(captions.map(\.name) == ["length", "angle", "size"])
        #expect(captions[0].value == String(format: "%.3f px", m.lengths[0]))
        #expect(captions[1].value.contains("rad") && captions[2].value == "\(m.size)×\(m.size)")
        let jpeg = StageStrip.stepParameters(plan.steps[1], bytes: 1234)
        #expect(jpeg.last == StageParameter("bytes", "1234 (all frames)"))
    }
}
