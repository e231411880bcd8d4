/// The kinds of step a plan can hold, in the order tables list them (the bench's op table, the audit's names).
/// The raw value is the op's name in recipes, plans, catalogs and timing tables.
public enum StepKind: String, Codable, Sendable, CaseIterable {
    case blur
    case motionBlur = "motion_blur"
    case resize, noise, jpeg, video, quantize, clip
}

/// What one step of a plan does, with everything it drew. Adding a case makes the compiler list every place that
/// must handle the new kind: execution (`FrameStep`), planning (`StepBuilder`), the JSON form (`PlanStep`'s
/// Codable), validation and the parameter description (`PlanStep.parameters(frame:)`).
public enum PlanOp: Sendable, Equatable {
    case blur(BlurPlan)
    case motionBlur(MotionBlurPlan)
    case resize(ResizePlan)
    case noise(NoisePlan)
    case jpeg(JPEGPlan)
    case video(VideoPlan)
    /// Round to 8 bits.
    case quantize
    /// Clamp to [0, 1].
    case clip
    /// The step's probability gate skipped it: nothing else was drawn.
    case skipped(StepKind)

    public var kind: StepKind {
        switch self {
        case .blur: .blur
        case .motionBlur: .motionBlur
        case .resize: .resize
        case .noise: .noise
        case .jpeg: .jpeg
        case .video: .video
        case .quantize: .quantize
        case .clip: .clip
        case .skipped(let kind): kind
        }
    }
}

/// One op of the pipeline as it will run (or as its probability gate skipped it), at its recipe location.
///
/// JSON form (unchanged since the first plans, so every stored plan and catalog still loads):
/// `{"at": "pipeline[0].blur", "op": "blur", "applied": true, "blur": {…}}` — the payload sits under the op's
/// name; a skipped step is `{"at", "op", "applied": false}` and `quantize` / `clip` carry no payload.
/// The random order of `shuffle` entries stays in `DegradationPlan.shuffles`: it is a decision about the recipe's
/// structure, already resolved into the order of `steps`, and no step needs it to run.
public struct PlanStep: Sendable, Equatable {
    public var at: String
    public var op: PlanOp

    public init(at: String, op: PlanOp) {
        self.at = at
        self.op = op
    }

    public var kind: StepKind { op.kind }
    /// The op's name (`blur`, `motion_blur`, …), as timing tables, stages and catalogs show it.
    public var name: String { op.kind.rawValue }

    public var applied: Bool {
        if case .skipped = op { return false }
        return true
    }
}

extension PlanStep: Codable {
    enum Keys: String, CodingKey {
        case at, op, applied
        case blur, motionBlur = "motion_blur", resize, noise, jpeg, video
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        at = try c.decode(String.self, forKey: .at)
        let name = try c.decode(String.self, forKey: .op)
        guard let kind = StepKind(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                forKey: .op, in: c,
                debugDescription: "unknown step kind `\(name)`, expected one of \(StepKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard try c.decode(Bool.self, forKey: .applied) else {
            op = .skipped(kind)
            return
        }
        switch kind {
        case .blur: op = .blur(try c.decode(BlurPlan.self, forKey: .blur))
        case .motionBlur: op = .motionBlur(try c.decode(MotionBlurPlan.self, forKey: .motionBlur))
        case .resize: op = .resize(try c.decode(ResizePlan.self, forKey: .resize))
        case .noise: op = .noise(try c.decode(NoisePlan.self, forKey: .noise))
        case .jpeg: op = .jpeg(try c.decode(JPEGPlan.self, forKey: .jpeg))
        case .video: op = .video(try c.decode(VideoPlan.self, forKey: .video))
        case .quantize: op = .quantize
        case .clip: op = .clip
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(at, forKey: .at)
        try c.encode(name, forKey: .op)
        try c.encode(applied, forKey: .applied)
        switch op {
        case .blur(let p): try c.encode(p, forKey: .blur)
        case .motionBlur(let p): try c.encode(p, forKey: .motionBlur)
        case .resize(let p): try c.encode(p, forKey: .resize)
        case .noise(let p): try c.encode(p, forKey: .noise)
        case .jpeg(let p): try c.encode(p, forKey: .jpeg)
        case .video(let p): try c.encode(p, forKey: .video)
        case .quantize, .clip, .skipped: break
        }
    }
}

extension PlanStep {
    /// The step's parameters on frame `t` (0 ≤ t < the plan's frame count), in display order: the one description
    /// the catalog's per-frame parameters, the gallery's captions and the audit's quantities are all made from.
    public func parameters(frame t: Int) -> [StepParameter] {
        switch op {
        case .blur(let p): p.parameters(frame: t)
        case .motionBlur(let p): p.parameters(frame: t)
        case .resize(let p): p.parameters(frame: t)
        case .noise(let p): p.parameters(frame: t)
        case .jpeg(let p): p.parameters(frame: t)
        case .video(let p): p.parameters(frame: t)
        case .quantize: [StepParameter("effect", "effect", .choice("round to 8 bits"), audited: false, "clip(round(255·x), 0, 255)/255")]
        case .clip: [StepParameter("effect", "effect", .choice("clamp to [0, 1]"), audited: false, "clamp to [0, 1]")]
        case .skipped: []
        }
    }

    /// Checks the step's payload against the plan (`path` is its JSON path, e.g. `steps[3]`); `sizes` holds every
    /// frame's size before the step and is updated to after it.
    func validate(frames: Int, sizes: inout [FrameDims], path: String) throws {
        switch op {
        case .blur(let p): try p.validate(frames: frames, path: "\(path).blur")
        case .motionBlur(let p): try p.validate(frames: frames, path: "\(path).motion_blur")
        case .resize(let p):
            try p.validate(frames: frames, path: "\(path).resize")
            sizes = p.sizes
        case .noise(let p): try p.validate(frames: frames, path: "\(path).noise")
        case .jpeg(let p): try p.validate(frames: frames, path: "\(path).jpeg")
        case .video(let p):
            try p.validate(path: "\(path).video")
            // The codec step rescales every frame to frame 0's size.
            if let first = sizes.first { sizes = Array(repeating: first, count: sizes.count) }
        case .quantize, .clip, .skipped: break
        }
    }
}
