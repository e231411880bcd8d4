import DegradeEngine
import Foundation
import Testing
@testable import DegradeAudit

/// The audit reads a new op's quantities from the step's description: the handheld recipe's motion blur is
/// audited with its gate rate, first-frame length and angle within their ranges, and their drift.
@Suite struct MotionBlurStatistics {
    @Test func lengthAngleAndDriftAreAudited() throws {
        let recipe = try AuditFixtures.bundled("handheld")
        let plans = try AuditPlans.draw(recipe: recipe, seed: 3, clips: AuditPlans.syntheticClips(for: recipe), count: 300)
        let s = ParameterStatistics(plans: plans)
        let at = "pipeline[0].motion_blur"
        let rate = try #require(s.applicationRate(at))
        #expect(abs(rate - 0.8) < 5 * (0.8 * 0.2 / 300).squareRoot(), "rate \(rate)")
        let length = try #require(s.quantity(at, "length")).values
        #expect(length.count == s.step(at)?.applied && length.allSatisfy { (1...12).contains($0) })
        #expect(try #require(s.quantity(at, "angle")).values.allSatisfy { (0...Double.pi).contains($0) })
        let drift = try #require(s.quantity(at, "length_drift")).values
        #expect(drift.allSatisfy { $0 <= 0.5 } && drift.contains { $0 > 0 })
        #expect(s.quantity(at, "kernel_size") == nil, "the kernel size follows from the length; it is not a draw")
    }
}
