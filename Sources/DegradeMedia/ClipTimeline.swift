/// Where a clip's frames sit in the file they are decoded from (video sources): the file, the file-level index of
/// the clip's first frame, and each frame's presentation timestamp. Plans record a window's position from it, so
/// a replay can tell that the file still holds the same frames there.
public struct ClipTimeline: Sendable, Equatable {
    /// The file's name (not its folder: a dataset may move).
    public var file: String
    /// File frame index of clip frame 0 (a shot starts inside its file).
    public var firstFrame: Int
    /// `[num, den]` of the stream's time base.
    public var timeBase: [Int32]
    /// Timestamp of every clip frame, in the stream's time base.
    public var pts: [Int64]

    public init(file: String, firstFrame: Int, timeBase: [Int32], pts: [Int64]) {
        self.file = file
        self.firstFrame = firstFrame
        self.timeBase = timeBase
        self.pts = pts
    }
}
