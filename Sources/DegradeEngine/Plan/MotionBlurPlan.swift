import DegradeOps

/// A `motion_blur` step: a linear streak of `lengths[t]` px at `angles[t]` rad on frame t, in a kernel of `size`
/// taps fixed for the clip (large enough for the longest streak).
public struct MotionBlurPlan: Codable, Sendable, Equatable {
    public var size: Int
    public var lengths: [Double]
    public var angles: [Double]

    func parameters(frame t: Int) -> [StepParameter] {
        [
            .init("length", "length", .number(lengths[t]), unit: .pixels, walks: true, "streak length, px"),
            .init("angle", "angle", .number(angles[t]), unit: .radians, walks: true, "streak direction, rad counter-clockwise from +x"),
            .init("kernel_size", "size", .choice(String(size)), unit: .taps, audited: false, "kernel size, px (from the longest streak)"),
        ]
    }

    func validate(frames count: Int, path: String) throws {
        try PlanRule.integer(size, "\(path).size", in: 1...51, odd: true)
        try PlanRule.perFrame(lengths.count, count, "\(path).lengths")
        try PlanRule.perFrame(angles.count, count, "\(path).angles")
        for (t, l) in lengths.enumerated() { try PlanRule.number(l, "\(path).lengths[\(t)]", in: 0...Double(size)) }
        for (t, a) in angles.enumerated() { try PlanRule.number(a, "\(path).angles[\(t)]", in: -10...10) }
    }
}
