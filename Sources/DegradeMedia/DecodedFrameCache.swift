import Synchronization

/// Decoded source frames kept in memory between the samples of a render, so a frame that several samples read
/// (overlapping windows of one clip, `--repeat` variants) is inflated once. Holds the 8-bit rows a PNG decode
/// produced (rows 0 up to the last one asked for, whole width), keyed by the file's identity: a file replaced or
/// changed since (another size, modification time or inode) is decoded again.
///
/// Bounded by `budget` bytes; the least recently used frames go first. Safe to share between threads.
public final class DecodedFrameCache: Sendable {
    /// The file a frame was decoded from, as the file system described it when it was opened.
    struct Identity: Hashable, Sendable {
        var path: String
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64  // nanoseconds
    }

    /// Rows `0..<rows` of an 8-bit frame as interleaved RGB, with what its header said.
    struct Frame: Sendable {
        var rows: Int
        var bytes: [UInt8]
        var width: Int
        var height: Int
        var bitDepth: Int
        var wasGray: Bool
        var droppedAlpha: Bool

        /// `region` (which fits the frame and ends within `rows`) as a decode of the file would give it.
        func decoded(region: PixelRegion) -> DecodedImage {
            let image = bytes.withUnsafeBufferPointer { Image(interleaved8: $0, width: width, height: rows, region: region) }
            return DecodedImage(image: image, format: .png, bitDepth: bitDepth, wasGray: wasGray, droppedAlpha: droppedAlpha,
                                frameWidth: width, frameHeight: height, isRegion: true)
        }
    }

    private struct State {
        var frames: [Identity: (frame: Frame, lastUse: UInt64)] = [:]
        /// Rows that readers to come will want of a file, by path: a decode goes down to them at once.
        var expected: [String: Int] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    /// The most bytes of decoded rows held at once.
    public let budget: Int
    private let state = Mutex(State())

    public init(budget: Int) {
        self.budget = max(0, budget)
    }

    /// The frame, if rows `0..<rows` of it (all rows when nil) are held.
    func frame(_ id: Identity, rows: Int?) -> Frame? {
        state.withLock { s in
            s.clock += 1
            guard var held = s.frames[id], held.frame.rows >= rows ?? held.frame.height else {
                s.misses += 1
                return nil
            }
            s.hits += 1
            held.lastUse = s.clock
            s.frames[id] = held
            return held.frame
        }
    }

    /// Keeps `frame` (replacing a shorter decode of the same file), dropping the least recently used frames
    /// to stay within the budget. A frame larger than the whole budget is not kept.
    func keep(_ frame: Frame, for id: Identity) {
        let size = frame.bytes.count
        guard size <= budget else { return }
        state.withLock { s in
            s.clock += 1
            if let old = s.frames[id] {
                if old.frame.rows >= frame.rows { return }
                s.bytes -= old.frame.bytes.count
            }
            s.frames[id] = (frame, s.clock)
            s.bytes += size
            while s.bytes > budget, let oldest = s.frames.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                s.bytes -= oldest.value.frame.bytes.count
                s.frames[oldest.key] = nil
            }
        }
    }

    /// Announces that rows `0..<rows` of the file at `path` will be read (by a later sample), so the decode that
    /// misses first goes down to them and the later read is served from memory.
    public func expect(rows: Int, of path: String) {
        state.withLock { $0.expected[path] = max($0.expected[path] ?? 0, rows) }
    }

    /// The rows announced for `path`, if any.
    func expectedRows(of path: String) -> Int? {
        state.withLock { $0.expected[path] }
    }

    /// Drops the frames and announcements of every file whose path starts with `prefix` (a clip that no sample
    /// will read again), so memory is given back before the budget forces it.
    public func forget(pathsUnder prefix: String) {
        state.withLock { s in
            for id in s.frames.keys where id.path.hasPrefix(prefix) {
                s.bytes -= s.frames[id]?.frame.bytes.count ?? 0
                s.frames[id] = nil
            }
            for path in s.expected.keys where path.hasPrefix(prefix) { s.expected[path] = nil }
        }
    }

    /// Frames served from memory and frames decoded, since the cache was made.
    public var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// Bytes of decoded rows held now (at most `budget`).
    public var heldBytes: Int { state.withLock { $0.bytes } }
}
