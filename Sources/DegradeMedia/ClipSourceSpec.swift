/// A clip source described as data (for command lines, catalogs and train configs), opened on demand.
public struct ClipSourceSpec: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Decide from the path: a video file ⇒ video; a folder with clip subfolders ⇒ reds, image files ⇒ stills,
        /// video files ⇒ video.
        case auto, reds, stills, pan, video
    }

    public var kind: Kind
    public var path: String
    public var metaInfo: String?
    public var panFrames: Int
    public var panWidth: Int
    public var panHeight: Int
    /// Video sources: the cut score that starts a new shot (nil: `VideoSource.defaultCutThreshold`) and the
    /// shortest shot kept as a clip (nil: 1). Optional so that specs of other kinds encode as before.
    public var cutThreshold: Double?
    public var minimumShot: Int?

    public init(kind: Kind = .auto, path: String, metaInfo: String? = nil,
                panFrames: Int = 30, panWidth: Int = 1280, panHeight: Int = 720,
                cutThreshold: Double? = nil, minimumShot: Int? = nil) {
        self.kind = kind
        self.path = path
        self.metaInfo = metaInfo
        self.panFrames = panFrames
        self.panWidth = panWidth
        self.panHeight = panHeight
        self.cutThreshold = cutThreshold
        self.minimumShot = minimumShot
    }

    public func open() throws -> any ClipSource {
        switch try resolvedKind() {
        case .reds: return try REDSSource(root: path, metaInfoPath: metaInfo)
        case .stills: return try StillsSource(folder: path)
        case .pan: return try PanSource(stills: StillsSource(folder: path), frames: panFrames, width: panWidth, height: panHeight)
        case .video:
            return try VideoSource(path: path, cutThreshold: cutThreshold ?? VideoSource.defaultCutThreshold,
                                   minimumShot: minimumShot ?? 1)
        case .auto: fatalError("resolvedKind never returns auto")
        }
    }

    public func resolvedKind() throws -> Kind {
        guard kind == .auto else { return kind }
        guard FileManagerBox.isDirectory(path) else {
            if VideoSource.isVideoFile(path) { return .video }
            throw MediaError(path, "input is neither a folder nor a video file (\(VideoSource.extensions.sorted().joined(separator: ", ")))")
        }
        let entries = try Listing.entries(of: path).filter { !$0.hasPrefix(".") }
        if entries.contains(where: { FileManagerBox.isDirectory("\(path)/\($0)") }) { return .reds }
        if entries.contains(where: ImageFormat.isFrameFile) { return .stills }
        if entries.contains(where: { VideoSource.isVideoFile($0) }) { return .video }
        throw MediaError(path, "found neither clip folders (REDS layout), PNG/JPEG stills nor video files")
    }
}
