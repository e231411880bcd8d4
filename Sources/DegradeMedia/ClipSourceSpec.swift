/// A clip source described as data (for command lines, catalogs and train configs), opened on demand.
public struct ClipSourceSpec: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Decide from the folder: clip subfolders ⇒ reds, image files ⇒ stills.
        case auto, reds, stills, pan
    }

    public var kind: Kind
    public var path: String
    public var metaInfo: String?
    public var panFrames: Int
    public var panWidth: Int
    public var panHeight: Int

    public init(kind: Kind = .auto, path: String, metaInfo: String? = nil,
                panFrames: Int = 30, panWidth: Int = 1280, panHeight: Int = 720) {
        self.kind = kind
        self.path = path
        self.metaInfo = metaInfo
        self.panFrames = panFrames
        self.panWidth = panWidth
        self.panHeight = panHeight
    }

    public func open() throws -> any ClipSource {
        switch try resolvedKind() {
        case .reds: return try REDSSource(root: path, metaInfoPath: metaInfo)
        case .stills: return try StillsSource(folder: path)
        case .pan: return try PanSource(stills: StillsSource(folder: path), frames: panFrames, width: panWidth, height: panHeight)
        case .auto: fatalError("resolvedKind never returns auto")
        }
    }

    public func resolvedKind() throws -> Kind {
        guard kind == .auto else { return kind }
        guard FileManagerBox.isDirectory(path) else { throw MediaError(path, "input is not a folder") }
        let entries = try Listing.entries(of: path).filter { !$0.hasPrefix(".") }
        if entries.contains(where: { FileManagerBox.isDirectory("\(path)/\($0)") }) { return .reds }
        if entries.contains(where: ImageFormat.isFrameFile) { return .stills }
        throw MediaError(path, "found neither clip folders (REDS layout) nor PNG/JPEG stills")
    }
}
