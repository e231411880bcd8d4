import Foundation

/// Video files as clips: one file, or every video file of a folder (not recursive). Each shot of a file is a
/// clip, so no window spans a scene cut: a file of one shot is keyed by its file name (`beach.mp4`, as a REDS
/// clip folder is by its name), a file with cuts by `<file name>@shot<k>` (k = 1, 2, …). Shots shorter than
/// `minimumShot` frames are left out. Frame n of a clip is the n-th decoded frame of its shot.
///
/// The first use of a file decodes it once to build its index (timestamps, keyframes, cut scores), cached in
/// the user's cache folder (`VideoIndexCache`); windows are then decoded from the nearest keyframe.
public struct VideoSource: ClipSource {
    public static let extensions: Set<String> = ["mp4", "m4v", "mkv", "mov", "webm", "avi"]
    /// Cut score (`LumaThumbnail.cutScore`, 0…1) at which a new shot starts: camera motion stays well below it,
    /// cuts between different scenes score above (see the figures there).
    public static let defaultCutThreshold = 0.1

    public let path: String
    public let files: [String]
    public let cutThreshold: Double
    public let minimumShot: Int
    private let cache: VideoIndexCache
    private let store = IndexStore()

    public init(path: String, cutThreshold: Double = defaultCutThreshold, minimumShot: Int = 1, cacheFolder: String? = nil) throws {
        guard cutThreshold > 0, cutThreshold.isFinite else { throw MediaError(path, "the cut threshold must be above 0, got \(cutThreshold)") }
        guard minimumShot >= 1 else { throw MediaError(path, "the minimum shot length must be at least 1 frame, got \(minimumShot)") }
        self.path = path
        self.cutThreshold = cutThreshold
        self.minimumShot = minimumShot
        self.cache = VideoIndexCache(folder: cacheFolder)
        if FileManagerBox.isDirectory(path) {
            let names = try Listing.entries(of: path).filter { !$0.hasPrefix(".") && Self.isVideoFile($0) }
            guard !names.isEmpty else {
                throw MediaError(path, "no video files (\(Self.extensions.sorted().joined(separator: ", "))) in the folder")
            }
            files = names.map { "\(path)/\($0)" }
        } else {
            guard FileManager.default.fileExists(atPath: path) else { throw MediaError(path, "no such file or folder") }
            files = [path]
        }
    }

    static func isVideoFile(_ name: String) -> Bool {
        extensions.contains(URL(fileURLWithPath: name).pathExtension.lowercased())
    }

    public var summary: String {
        files.count == 1 ? "video \(files[0])" : "\(files.count) videos in \(path)"
    }

    /// One clip per shot of every file, files in name order.
    public func clips() throws -> [ClipInfo] {
        try shots().map(\.info)
    }

    public func frames(of key: String, range: Range<Int>?) throws -> [Image] {
        try frames(of: key, range: range, region: nil)
    }

    /// Decodes only the requested frames (from the nearest keyframe) and converts only `region` of each.
    public func frames(of key: String, range: Range<Int>?, region: PixelRegion?) throws -> [Image] {
        guard let shot = try shots().first(where: { $0.info.key == key }) else {
            throw MediaError(path, "no clip \(key) here; `degrade clips` lists the keys of video files (name, or name@shot<k> for files with cuts)")
        }
        let r = try checkRange(range, count: shot.frames.count, key: key)
        let index = try store.index(of: shot.file, cache: cache)
        let pixels = VideoPixels(path: shot.file, rotation: index.rotation)
        var out: [Image] = []
        out.reserveCapacity(r.count)
        let first = shot.frames.lowerBound + r.lowerBound
        try WindowDecoder.decode(index, frames: first..<(first + r.count)) { (n, frame) throws(MediaError) in
            out.append(try pixels.image(frame, region: region, frameNumber: n))
        }
        return out
    }

    /// The index of each file (built or read from the cache), for listings.
    func index(of file: String) throws -> VideoIndex {
        try store.index(of: file, cache: cache)
    }

    /// Every file's cut scores and shots, e.g. for `degrade clips`.
    public func fileSummaries() throws -> [VideoFileSummary] {
        try files.map { file in
            let index = try store.index(of: file, cache: cache)
            let shots = index.shots(threshold: cutThreshold)
            let shown = index.displayed
            return VideoFileSummary(file: file, codec: index.codec, pixelFormat: index.pixelFormat, width: shown.width, height: shown.height,
                                    rotation: index.rotation, matrix: index.matrix, fullRange: index.fullRange, frameCount: index.frameCount,
                                    keyframes: index.keyframes.count, shots: shots.map { [$0.lowerBound, $0.upperBound] },
                                    shortShots: shots.filter { $0.count < minimumShot }.count, damaged: index.damaged)
        }
    }

    private struct Shot {
        var file: String
        var frames: Range<Int>
        var info: ClipInfo
    }

    private func shots() throws -> [Shot] {
        var out: [Shot] = []
        for file in files {
            let index = try store.index(of: file, cache: cache)
            let name = URL(fileURLWithPath: file).lastPathComponent
            let all = index.shots(threshold: cutThreshold)
            let shown = index.displayed
            for (k, frames) in all.enumerated() where frames.count >= minimumShot {
                let key = all.count == 1 ? name : "\(name)@shot\(k + 1)"
                let origin = all.count == 1 ? file : "\(file) frames \(frames.lowerBound)..<\(frames.upperBound) of \(index.frameCount)"
                let timeline = ClipTimeline(file: name, firstFrame: frames.lowerBound, timeBase: index.timeBase, pts: Array(index.pts[frames]))
                out.append(Shot(file: file, frames: frames,
                                info: ClipInfo(key: key, frameCount: frames.count, width: shown.width, height: shown.height, origin: origin,
                                               timeline: timeline)))
            }
        }
        guard !out.isEmpty else {
            throw MediaError(path, "no shot of at least \(minimumShot) frames in the video files")
        }
        return out
    }
}

/// One video file as `degrade clips` reports it.
public struct VideoFileSummary: Sendable, Codable, Equatable {
    public var file: String
    public var codec: String
    public var pixelFormat: String
    public var width: Int
    public var height: Int
    public var rotation: Int
    public var matrix: String
    public var fullRange: Bool
    public var frameCount: Int
    public var keyframes: Int
    /// `[start, end)` frame ranges.
    public var shots: [[Int]]
    /// Shots left out for being shorter than the minimum.
    public var shortShots: Int
    /// `[start, end)` frame ranges with decode errors: windows over them fail (`--skip-bad-samples` skips them
    /// in the training stream).
    public var damaged: [[Int]] = []
}

/// Indexes loaded by one source, shared by its copies (sources are values handed to worker threads).
private final class IndexStore: @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: [String: VideoIndex] = [:]

    /// Held while a file is indexed, so N workers starting together decode it once, not N times. A file whose size
    /// or modification time changed since it was indexed (rewritten, growing, truncated) is indexed again, so a
    /// window is never read through a stale index.
    func index(of file: String, cache: VideoIndexCache) throws -> VideoIndex {
        lock.lock()
        defer { lock.unlock() }
        if let index = loaded[file], let stamp = FileStamp(file), stamp.size == index.size, stamp.modified == index.modified { return index }
        let index = try cache.index(of: file)
        loaded[file] = index
        return index
    }
}
