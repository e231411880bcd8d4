import DegradeMedia

extension DegradationPlan {
    /// Checks that the plan is one the executor can run as written: every per-frame list has one value per frame,
    /// every value is finite and within the range the ops accept, and the sizes agree from the source through the
    /// crops to the LQ. Plans the planner makes always pass; a plan read from a file (`degrade apply --plan`) may not,
    /// and then this throws an `InputError` naming the JSON path of the first bad value and what was expected.
    public func validate() throws {
        if let v = sampleVersion {
            try PlanRule.integer(v, "sampleVersion", in: 1...DegradeVersion.sampleVersion)
        }
        try PlanRule.integer(frameCount, "frameCount", in: 1...1_000_000)
        guard !sourceFrames.isEmpty else { throw PlanRule.problem("sourceFrames", "empty, expected the source frame indices") }
        for (i, f) in sourceFrames.enumerated() { try PlanRule.integer(f, "sourceFrames[\(i)]", in: 0...10_000_000) }
        let expected = sourceFrames.count * (mirror ? 2 : 1)
        guard frameCount == expected else {
            throw PlanRule.problem("frameCount", "\(frameCount), expected \(expected) (\(sourceFrames.count) source frames\(mirror ? ", mirrored" : ""))")
        }
        try PlanRule.size(sourceSize, "sourceSize")
        if let p = sourcePosition {
            guard !p.file.isEmpty else { throw PlanRule.problem("sourcePosition.file", "empty, expected the video file's name") }
            try PlanRule.integer(p.frame, "sourcePosition.frame", in: 0...100_000_000)
            guard p.timeBase.count == 2, p.timeBase[0] >= 1, p.timeBase[1] >= 1 else {
                throw PlanRule.problem("sourcePosition.timeBase", "\(p.timeBase), expected [num, den] with both ≥ 1")
            }
        }
        var gt = sourceSize
        if let crop {
            try PlanRule.integer(crop.size, "crop.size", in: 1...PlanRule.maxSide)
            let w = crop.padded ? max(sourceSize.width, crop.size) : sourceSize.width
            let h = crop.padded ? max(sourceSize.height, crop.size) : sourceSize.height
            guard crop.size <= w, crop.size <= h else {
                throw PlanRule.problem("crop.size", "\(crop.size) is larger than the source \(sourceSize) (and `padded` is false)")
            }
            try PlanRule.integer(crop.x, "crop.x", in: 0...(w - crop.size))
            try PlanRule.integer(crop.y, "crop.y", in: 0...(h - crop.size))
            gt = FrameDims(width: crop.size, height: crop.size)
        }
        if transpose { gt = FrameDims(width: gt.height, height: gt.width) }
        if let m = modCrop {
            try PlanRule.size(m, "modCrop")
            guard m.width <= gt.width, m.height <= gt.height else {
                throw PlanRule.problem("modCrop", "\(m) is larger than the GT \(gt) it trims")
            }
            gt = m
        }
        guard gtSize == gt else { throw PlanRule.problem("gtSize", "\(gtSize), expected \(gt) (from the source size, crop, transpose and modCrop)") }
        if let u = unsharp {
            try PlanRule.integer(u.kernelSize, "unsharp.kernelSize", in: 1...201, odd: true)
            try PlanRule.number(u.sigma, "unsharp.sigma", in: 0...100)
            try PlanRule.number(u.weight, "unsharp.weight", in: 0...10)
            try PlanRule.number(u.threshold, "unsharp.threshold", in: 0...255)
        }
        var sizes = Array(repeating: gtSize, count: frameCount)
        for (i, step) in steps.enumerated() {
            try step.validate(frames: frameCount, sizes: &sizes, path: "steps[\(i)]")
        }
        if let pc = pairedCrop {
            try PlanRule.integer(pc.scale, "pairedCrop.scale", in: 1...64)
            try PlanRule.integer(pc.gtSize, "pairedCrop.gtSize", in: pc.scale...PlanRule.maxSide)
            guard pc.gtSize % pc.scale == 0 else {
                throw PlanRule.problem("pairedCrop.gtSize", "\(pc.gtSize), expected a multiple of the scale \(pc.scale)")
            }
            let lq = sizes[0], lqCrop = pc.gtSize / pc.scale
            guard sizes.allSatisfy({ $0 == lq }), lq.width * pc.scale == gtSize.width, lq.height * pc.scale == gtSize.height else {
                throw PlanRule.problem("pairedCrop", "needs every LQ frame to be the GT \(gtSize) divided by \(pc.scale), the steps make \(lq)")
            }
            guard lqCrop <= lq.width, lqCrop <= lq.height else {
                throw PlanRule.problem("pairedCrop.gtSize", "\(pc.gtSize) is larger than the GT \(gtSize)")
            }
            try PlanRule.integer(pc.lqX, "pairedCrop.lqX", in: 0...(lq.width - lqCrop))
            try PlanRule.integer(pc.lqY, "pairedCrop.lqY", in: 0...(lq.height - lqCrop))
            sizes = Array(repeating: FrameDims(width: lqCrop, height: lqCrop), count: frameCount)
        }
        guard lqSizes.count == sizes.count else {
            throw PlanRule.problem("lqSizes", "\(lqSizes.count) sizes, expected one per frame (\(frameCount))")
        }
        if let t = lqSizes.indices.first(where: { lqSizes[$0] != sizes[$0] }) {
            throw PlanRule.problem("lqSizes[\(t)]", "\(lqSizes[t]), expected \(sizes[t]) (what the steps make)")
        }
    }
}

extension DegradationPlan {
    /// Checks that the plan fits `clip`, the source clip it will read: its size and frame indices (the plan names
    /// the clip by `clip`; the caller looks it up).
    public func validate(against clip: ClipInfo) throws {
        guard sourceSize == FrameDims(width: clip.width, height: clip.height) else {
            throw PlanRule.problem("sourceSize", "\(sourceSize), but clip \(clip.key) is \(clip.width)×\(clip.height)")
        }
        if let i = sourceFrames.firstIndex(where: { $0 >= clip.frameCount }) {
            throw PlanRule.problem("sourceFrames[\(i)]", "\(sourceFrames[i]), but clip \(clip.key) has \(clip.frameCount) frames")
        }
        try validatePosition(against: clip)
    }

    /// A recorded window position must name the same file, frame and timestamp the clip has now: otherwise the file
    /// was replaced or re-encoded (or shots were cut differently) since the plan was made, and the replay would read
    /// other frames.
    func validatePosition(against clip: ClipInfo) throws {
        guard let p = sourcePosition else { return }
        guard let t = clip.timeline else {
            throw PlanRule.problem("sourcePosition", "the plan was made from the video file \(p.file), but clip \(clip.key) is not read from a video file")
        }
        guard p.file == t.file else {
            throw PlanRule.problem("sourcePosition.file", "\(p.file), but clip \(clip.key) is read from \(t.file)")
        }
        guard let start = sourceFrames.min(), t.pts.indices.contains(start) else { return }
        guard p.frame == t.firstFrame + start else {
            throw PlanRule.problem("sourcePosition.frame", "\(p.frame), but the window starts at frame \(t.firstFrame + start) of \(t.file) now (clip \(clip.key) begins at its frame \(t.firstFrame)); the file or its shot boundaries (--cut-threshold, --min-shot) changed since the plan was made")
        }
        guard p.timeBase == t.timeBase, p.pts == t.pts[start] else {
            throw PlanRule.problem("sourcePosition.pts", "\(p.pts) (time base \(p.timeBase.map(String.init).joined(separator: "/"))) recorded for frame \(p.frame), but \(t.file) has \(t.pts[start]) (time base \(t.timeBase.map(String.init).joined(separator: "/"))) there now; the file changed since the plan was made")
        }
    }
}
