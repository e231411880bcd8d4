/// A `noise` step: type and gray flag per clip, strength per frame. The realisation is drawn at execution.
public struct NoisePlan: Codable, Sendable, Equatable {
    public var type: NoiseType
    public var gray: Bool
    /// Gaussian σ per frame, in 8-bit units (σ/255 is applied).
    public var sigmas: [Double]?
    /// Poisson scale per frame.
    public var scales: [Double]?
    /// Correlated noise: the 3×3 covariance (row-major), per clip.
    public var covariance: [Double]?
    public var clip: Bool

    func parameters(frame t: Int) -> [StepParameter] {
        var out: [StepParameter] = [.init("noise", "noise", .choice(type.rawValue), "noise type")]
        switch type {
        case .gaussian:
            out.append(.init("sigma", "σ", .number(sigmas?[t] ?? 0), unit: .levels8, walks: true, "Gaussian σ, 8-bit levels"))
            out.append(.init("gaussian_gray", "gray", .choice(gray ? "gray" : "color"), "gray or colour Gaussian noise"))
        case .poisson:
            out.append(.init("poisson_scale", "scale", .number(scales?[t] ?? 0), walks: true, "Poisson scale"))
            out.append(.init("poisson_gray", "gray", .choice(gray ? "gray" : "color"), "gray or colour Poisson noise"))
        case .correlated:
            let c = covariance ?? []
            if c.count == 9 {
                // Mean channel standard deviation √(tr Σ / 3), in 8-bit levels.
                out.append(.init("correlated_sigma", "σ", .number(((c[0] + c[4] + c[8]) / 3).squareRoot() * 255), unit: .levels8,
                                 "correlated noise √(tr Σ/3), 8-bit levels"))
            }
            out.append(.init("covariance", "covariance", .numbers(c), audited: false, "3×3 channel covariance, row-major"))
        }
        out.append(.init("clip", "clip", .choice(clip ? "[0, 1]" : "no"), audited: false, "clamped to [0, 1] afterwards"))
        return out
    }

    func validate(frames count: Int, path: String) throws {
        switch type {
        case .gaussian:
            let sigmas = try PlanRule.present(sigmas, "\(path).sigmas", "one Gaussian σ per frame")
            try PlanRule.perFrame(sigmas.count, count, "\(path).sigmas")
            for (t, s) in sigmas.enumerated() { try PlanRule.number(s, "\(path).sigmas[\(t)]", in: 0...255) }
        case .poisson:
            let scales = try PlanRule.present(scales, "\(path).scales", "one Poisson scale per frame")
            try PlanRule.perFrame(scales.count, count, "\(path).scales")
            for (t, s) in scales.enumerated() { try PlanRule.number(s, "\(path).scales[\(t)]", in: 0...100) }
        case .correlated:
            let c = try PlanRule.present(covariance, "\(path).covariance", "a row-major 3×3 covariance")
            guard c.count == 9 else { throw PlanRule.problem("\(path).covariance", "\(c.count) values, expected 9 (a row-major 3×3)") }
            for (i, v) in c.enumerated() { try PlanRule.number(v, "\(path).covariance[\(i)]", in: 0...4) }
        }
    }
}
