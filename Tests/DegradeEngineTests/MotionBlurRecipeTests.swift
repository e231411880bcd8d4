import DegradeMedia
import Foundation
import Testing
@testable import DegradeEngine

/// `motion_blur` from recipe key to plan: documented ranges are enforced, length and angle are drawn per clip
/// and drift per frame within their ranges, and the step describes itself with units.
@Suite struct MotionBlurRecipe {
    @Test func outOfRangeKeysAreRefusedWithTheirPath() throws {
        let long = #expect(throws: RecipeError.self) {
            try RecipeParser.parse("name: m\npipeline:\n  - motion_blur: {length: [1, 60]}\n")
        }
        #expect(long?.key == "pipeline[0].motion_blur.length" && long?.message.contains("out of range") == true, "\(String(describing: long))")
        let unknown = #expect(throws: RecipeError.self) {
            try RecipeParser.parse("name: m\npipeline:\n  - motion_blur: {lenght: [1, 6]}\n")
        }
        #expect(unknown?.key == "pipeline[0].motion_blur.lenght", "\(String(describing: unknown))")
        let step = #expect(throws: RecipeError.self) {
            try RecipeParser.parse("name: m\npipeline:\n  - motion_blur: {angle_step: -1}\n")
        }
        #expect(step?.key == "pipeline[0].motion_blur.angle_step", "\(String(describing: step))")
    }

    @Test func lengthAndAngleDriftWithinTheirRanges() throws {
        let recipe = try RecipeFixtures.bundled("handheld")
        var applied = 0, lengthMoved = false, angleMoved = false
        for seed in 0..<40 {
            let plan = try Planner.plan(recipe: recipe, seed: UInt64(seed), clip: RecipeFixtures.clip)
            let step = try #require(plan.steps.first { $0.kind == .motionBlur })
            guard case .motionBlur(let m) = step.op else { continue }
            applied += 1
            #expect(m.lengths.count == plan.frameCount && m.angles.count == plan.frameCount)
            #expect(m.lengths.allSatisfy { (1...12).contains($0) } && m.angles.allSatisfy { (0...Double.pi).contains($0) })
            #expect(zip(m.lengths.dropFirst(), m.lengths).allSatisfy { abs($0 - $1) <= 0.5 })
            #expect(zip(m.angles.dropFirst(), m.angles).allSatisfy { abs($0 - $1) <= 0.05 + 1e-12 })
            #expect(m.size % 2 == 1 && Double(m.size) >= (m.lengths.max() ?? 0))
            lengthMoved = lengthMoved || Set(m.lengths).count > 1
            angleMoved = angleMoved || Set(m.angles).count > 1
            let p = step.parameters(frame: 2)
            #expect(p.map(\.name) == ["length", "angle", "kernel_size"])
            #expect(p[0].value == .number(m.lengths[2]) && p[0].unit == .pixels && p[0].walks)
            #expect(p[1].formatted.hasSuffix("π)") && p[1].unit == .radians)
        }
        // prob 0.8 over 40 clips.
        #expect(applied >= 24 && applied < 40 && lengthMoved && angleMoved)
    }

    @Test func aHandheldClipIsBlurredAlongItsStreak() throws {
        let recipe = try RecipeParser.parse("""
            name: streak
            pipeline:
              - motion_blur: {length: [8, 8], angle: [0, 0]}
            """)
        // Stripes along x plus stripes along y: a horizontal streak averages away the first and keeps the second.
        let frames = (0..<2).map { _ in
            var img = Image(width: 40, height: 32)
            for c in 0..<3 {
                for y in 0..<32 {
                    for x in 0..<40 { img.pixels[c * 1280 + y * 40 + x] = Float(0.5 + 0.25 * sin(Double(x) * 1.1) + 0.15 * sin(Double(y) * 0.9)) }
                }
            }
            return img
        }
        let source = MemorySource(clipsByKey: ["c": frames])
        let maker = SampleMaker(recipe: recipe, seed: 1, source: source)
        let clip = try maker.make(try maker.plan(clip: try source.clips()[0]))
        // Horizontal streak: neighbouring columns become alike, neighbouring rows stay as different as before.
        func meanStep(_ img: Image, dx: Int, dy: Int) -> Double {
            var s = 0.0, n = 0
            for y in 4..<(img.height - 4) { for x in 4..<(img.width - 4) {
                s += Double(abs(img.pixels[y * img.width + x] - img.pixels[(y + dy) * img.width + x + dx])); n += 1
            } }
            return s / Double(n)
        }
        let lq = clip.lq[0], gt = clip.gt[0]
        #expect(meanStep(lq, dx: 1, dy: 0) < 0.4 * meanStep(gt, dx: 1, dy: 0))
        #expect(meanStep(lq, dx: 0, dy: 1) > 0.9 * meanStep(gt, dx: 0, dy: 1))
    }
}
