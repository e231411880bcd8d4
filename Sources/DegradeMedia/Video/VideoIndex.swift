import CAVUtil
import Foundation

/// What one pass over a video file learns, cached so later runs seek straight to a window: every frame's
/// timestamp in presentation order, which frames are keyframes, and a cut score per frame.
///
/// Frame n is the n-th frame the decoder outputs, whatever the timestamps say: variable frame rate footage keeps
/// every decoded frame in order (no frames are dropped or duplicated to reach a constant rate).
struct VideoIndex: Codable, Equatable {
    /// Bumped whenever the layout or the meaning of a field changes; older cache files are rebuilt.
    static let version = 2

    var version: Int
    var path: String
    var size: Int64
    var modified: Double
    var codec: String
    var pixelFormat: String
    /// Coded size; `rotation` says how the frames are turned for display.
    var width: Int
    var height: Int
    var rotation: Int
    var matrix: String
    var fullRange: Bool
    var timeBase: [Int32]
    /// Presentation timestamp of every frame (stream time base).
    var pts: [Int64]
    /// Indices of keyframes: places a seek may start decoding from.
    var keyframes: [Int]
    /// `cutScores[n]`: how much frame n differs from frame n−1 (`LumaThumbnail.cutScore`), in [0, 1]; 0 for
    /// frame 0.
    var cutScores: [Float]
    /// False when timestamps are missing or not increasing: windows are then decoded from the start of the file.
    var seekable: Bool
    /// `[start, end)` frame ranges that cannot be decoded reliably: from the first frame after a decode error up
    /// to the next keyframe (later frames may reference the damaged one). A window over them is an error naming
    /// the frame; the rest of the file stays usable.
    var damaged: [[Int]]

    /// The first damaged frame within `frames`, if any.
    func firstDamaged(in frames: Range<Int>) -> Int? {
        for range in damaged where range.count == 2 {
            let low = max(range[0], frames.lowerBound), high = min(range[1], frames.upperBound)
            if low < high { return low }
        }
        return nil
    }

    var damagedFrameCount: Int { damaged.reduce(0) { $0 + ($1.count == 2 ? max(0, $1[1] - $1[0]) : 0) } }

    var frameCount: Int { pts.count }
    var displayed: (width: Int, height: Int) { VideoPixels.displayed(width: width, height: height, rotation: rotation) }

    /// Shots: maximal runs of frames without a score at or above `threshold`.
    func shots(threshold: Double) -> [Range<Int>] {
        var shots: [Range<Int>] = []
        var start = 0
        for n in 1..<max(frameCount, 1) where Double(cutScores[n]) >= threshold {
            shots.append(start..<n)
            start = n
        }
        if frameCount > 0 { shots.append(start..<frameCount) }
        return shots
    }

    /// Decodes the whole file once. Memory stays bounded: one frame at a time plus a thumbnail.
    static func build(path: String) throws(MediaError) -> VideoIndex {
        guard let before = FileStamp(path) else { throw MediaError(path, "cannot read the file (missing, or not a regular file)") }
        let reader = try VideoReader(path: path)
        reader.toleratesDamage = true
        var pts: [Int64] = [], keyframes: [Int] = [], scores: [Float] = []
        var damaged: [[Int]] = []
        var damageSeen = 0
        var damageOpen = false
        var previous: LumaThumbnail?
        var pixelFormat = "", matrix = "", fullRange = false
        while let frame = try reader.next() {
            let n = pts.count
            if n == 0 {
                let format = AVPixelFormat(rawValue: frame.pointee.format)
                pixelFormat = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "#\(frame.pointee.format)"
                matrix = VideoPixels.matrixName(frame.pointee.colorspace, height: Int(frame.pointee.height))
                fullRange = VideoPixels.isFullRange(frame)
            }
            guard Int(frame.pointee.width) == reader.width, Int(frame.pointee.height) == reader.height else {
                throw MediaError(path, "frame \(n) (\(reader.seconds(frame.pointee.best_effort_timestamp))) is \(frame.pointee.width)×\(frame.pointee.height), the stream is \(reader.width)×\(reader.height); size changes inside a file are not supported")
            }
            pts.append(frame.pointee.best_effort_timestamp)
            let fresh = reader.damageCount > damageSeen
            damageSeen = reader.damageCount
            // Damage lasts until a keyframe that decoded cleanly: frames up to it may reference the damaged one.
            if frame.pointee.key_frame != 0 && !fresh { damageOpen = false }
            if fresh { damageOpen = true }
            if damageOpen {
                if let last = damaged.last, last[1] == n { damaged[damaged.count - 1][1] = n + 1 } else { damaged.append([n, n + 1]) }
            }
            if frame.pointee.key_frame != 0 { keyframes.append(n) }
            let thumbnail = LumaThumbnail(frame)
            if let thumbnail, let previous { scores.append(thumbnail.cutScore(after: previous)) } else { scores.append(n == 0 ? 0 : 1) }
            previous = thumbnail
        }
        guard !pts.isEmpty else { throw MediaError(path, "the video stream holds no decodable frames") }
        // Damage after the last frame (a broken end): the last frame cannot be trusted to be the file's last.
        if reader.damageCount > damageSeen, damaged.last?[1] != pts.count { damaged.append([pts.count - 1, pts.count]) }
        guard let after = FileStamp(path), after == before else {
            throw MediaError(path, "the file changed while it was read; wait until it is completely written")
        }
        // Concealed pixels are no evidence of a scene cut: damaged frames and the first clean one after them score 0,
        // so damage does not split a shot (windows over it fail on their own).
        for range in damaged {
            for n in range[0]...min(range[1], pts.count - 1) where n > 0 { scores[n] = 0 }
        }
        let increasing = zip(pts, pts.dropFirst()).allSatisfy { $0 < $1 } && !pts.contains(Int64.min)
        if keyframes.first != 0 { keyframes.insert(0, at: 0) }
        return VideoIndex(version: version, path: path, size: before.size, modified: before.modified, codec: reader.codecName,
                          pixelFormat: pixelFormat, width: reader.width, height: reader.height, rotation: reader.rotation,
                          matrix: matrix, fullRange: fullRange, timeBase: [reader.timeBase.num, reader.timeBase.den],
                          pts: pts, keyframes: keyframes, cutScores: scores, seekable: increasing, damaged: damaged)
    }
}

/// Size and modification time of a file: what says a cached index still describes it.
struct FileStamp: Equatable {
    var size: Int64
    var modified: Double

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        size = Int64(info.st_size)
        modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }
}
