import DegradeMedia

/// Where a sample's window starts in its source file (video sources): the file-level frame index and the
/// presentation timestamp of the window's first frame. `apply --plan` checks it against the file before replaying,
/// so a file that was re-encoded or replaced since the plan was made is refused instead of silently read elsewhere.
public struct SourcePosition: Codable, Sendable, Equatable {
    /// The video file's name.
    public var file: String
    /// File frame index of the window's first frame (the n-th decoded frame).
    public var frame: Int
    /// Its timestamp, in `timeBase` units.
    public var pts: Int64
    /// `[num, den]`: seconds = pts × num / den.
    public var timeBase: [Int32]

    public init(file: String, frame: Int, pts: Int64, timeBase: [Int32]) {
        self.file = file
        self.frame = frame
        self.pts = pts
        self.timeBase = timeBase
    }

    /// The position of clip frame `start`, when the clip knows its timeline.
    init?(timeline: ClipTimeline?, start: Int) {
        guard let t = timeline, t.pts.indices.contains(start) else { return nil }
        self.init(file: t.file, frame: t.firstFrame + start, pts: t.pts[start], timeBase: t.timeBase)
    }
}
