/// One clip a source can deliver: a stable key plus what is known without decoding pixels.
public struct ClipInfo: Sendable, Codable, Equatable {
    /// Stable identifier, e.g. `000` (REDS) or `aitzgorri@pan` (pan over a still). Keys seed randomness, so
    /// they must not change between runs.
    public var key: String
    public var frameCount: Int
    public var width: Int
    public var height: Int
    /// Where the frames come from, for people (a folder, or a photo and how it is panned).
    public var origin: String
    /// The clip's place in its video file (video sources only); not part of listings (`CodingKeys`).
    public var timeline: ClipTimeline? = nil

    public init(key: String, frameCount: Int, width: Int, height: Int, origin: String, timeline: ClipTimeline? = nil) {
        self.key = key
        self.frameCount = frameCount
        self.width = width
        self.height = height
        self.origin = origin
        self.timeline = timeline
    }

    enum CodingKeys: String, CodingKey {
        case key, frameCount, width, height, origin
    }
}

/// Where the engine reads clean (ground-truth) clips from.
public protocol ClipSource: Sendable {
    /// A one-line description for logs and catalogs.
    var summary: String { get }
    /// Every clip, in a stable order.
    func clips() throws -> [ClipInfo]
    /// Frames `range` (all when nil) of clip `key`, all of one size.
    func frames(of key: String, range: Range<Int>?) throws -> [Image]
    /// Only `region` of frames `range` (the whole frames when nil): what a cropping recipe needs. Equal to cropping
    /// `frames(of:range:)`; sources that can avoid producing (or holding) the whole frames implement it.
    func frames(of key: String, range: Range<Int>?, region: PixelRegion?) throws -> [Image]
}

extension ClipSource {
    public func frames(of key: String) throws -> [Image] { try frames(of: key, range: nil) }

    /// Loads the whole frames, then crops each one.
    public func frames(of key: String, range: Range<Int>?, region: PixelRegion?) throws -> [Image] {
        let all = try frames(of: key, range: range)
        guard let region else { return all }
        return try all.map { try Self.crop($0, to: region, key: key) }
    }

    static func crop(_ frame: Image, to region: PixelRegion, key: String) throws -> Image {
        guard region.fits(width: frame.width, height: frame.height) else {
            throw MediaError(key, "region \(region) is outside the clip's \(frame.width)×\(frame.height) frames")
        }
        return frame.cropped(to: region)
    }

    func checkRange(_ range: Range<Int>?, count: Int, key: String) throws -> Range<Int> {
        guard let range else { return 0..<count }
        guard range.lowerBound >= 0, range.upperBound <= count, !range.isEmpty else {
            throw MediaError(key, "frames \(range.lowerBound)..<\(range.upperBound) requested, but the clip has \(count) frames")
        }
        return range
    }
}

/// Directory listing helpers shared by the folder-based sources.
enum Listing {
    static func frameFiles(in dir: String) throws -> [String] {
        try entries(of: dir).filter { ImageFormat.isFrameFile($0) && !$0.hasPrefix(".") }
    }

    static func entries(of dir: String) throws -> [String] {
        do {
            return try FileManagerBox.contents(of: dir).sorted()
        } catch {
            throw MediaError(dir, "cannot list the folder: \(SystemErrorText.describe(error))")
        }
    }
}
