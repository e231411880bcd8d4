import DegradeOps

/// A `resize` step: interpolation and mode per clip, scale and output size per frame.
public struct ResizePlan: Codable, Sendable, Equatable {
    public var interpolation: Interpolation
    public var mode: ResizeMode?
    /// Per-frame scale factors (nil for a fixed target size).
    public var scales: [Double]?
    /// Output size of every frame.
    public var sizes: [FrameDims]

    func parameters(frame t: Int) -> [StepParameter] {
        var out: [StepParameter] = [.init("out", "size", .size(sizes[t]), unit: .pixels, walks: scales != nil, "output")]
        out.append(.init("interpolation", "interpolation", .choice(interpolation.rawValue), "interpolation"))
        if let mode { out.append(.init("mode", "mode", .choice(mode.rawValue), "up / down / keep")) }
        if let scales { out.append(.init("scale", "scale", .number(scales[t]), walks: true, "scale factor")) }
        return out
    }

    func validate(frames count: Int, path: String) throws {
        try PlanRule.perFrame(sizes.count, count, "\(path).sizes")
        for (t, s) in sizes.enumerated() { try PlanRule.size(s, "\(path).sizes[\(t)]") }
        if let scales {
            try PlanRule.perFrame(scales.count, count, "\(path).scales")
            for (t, s) in scales.enumerated() { try PlanRule.number(s, "\(path).scales[\(t)]", in: 1e-6...1e4) }
        }
    }
}
