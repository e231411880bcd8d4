import DegradeOps

/// A `jpeg` step: a quality per frame.
public struct JPEGPlan: Codable, Sendable, Equatable {
    public var qualities: [Int]
    public var swapRB: Bool

    func parameters(frame t: Int) -> [StepParameter] {
        var out: [StepParameter] = [.init("quality", "quality", .integer(qualities[t]), walks: true, "JPEG quality")]
        if swapRB { out.append(.init("swap_rb", "channels", .choice("R/B swapped (OpenCV BGR)"), audited: false, "mmedit's R/B swap")) }
        return out
    }

    func validate(frames count: Int, path: String) throws {
        try PlanRule.perFrame(qualities.count, count, "\(path).qualities")
        for (t, q) in qualities.enumerated() { try PlanRule.integer(q, "\(path).qualities[\(t)]", in: 1...100) }
    }
}

/// A `video` step: one codec and rate for the clip, encoded as one stream.
public struct VideoPlan: Codable, Sendable, Equatable {
    public var codec: VideoCodec
    public var bitrate: Int?
    public var quality: Int?

    public var rate: RateControl {
        if let quality { return .quality(quality) }
        return .bitrate(bitrate ?? 100_000)
    }

    func parameters(frame t: Int) -> [StepParameter] {
        var out: [StepParameter] = [.init("codec", "codec", .choice(codec.rawValue), "video encoder")]
        if let bitrate { out.append(.init("bitrate", "bitrate", .integer(bitrate), unit: .bitsPerFrame, "bits per frame (bit/s at 1 fps)")) }
        if let quality { out.append(.init("crf", "quality", .integer(quality), "constant-quality setting (CRF / qscale)")) }
        return out
    }

    func validate(path: String) throws {
        guard bitrate != nil || quality != nil else {
            throw PlanRule.problem(path, "needs `bitrate` or `quality`")
        }
        if let bitrate { try PlanRule.integer(bitrate, "\(path).bitrate", in: 1000...1_000_000_000) }
        if let quality { try PlanRule.integer(quality, "\(path).quality", in: 0...63) }
    }
}
