import CAVUtil

/// Frame-accurate access to consecutive frames of an indexed video: seek to the last keyframe at or before the
/// window, decode forward, and keep the frames whose timestamps are the window's. Frames before the start are
/// decoded and dropped, so the result equals what a full decode from the first frame gives — also for B-frames
/// and open GOPs, whose leading frames either precede the keyframe (dropped) or are withheld by the decoder
/// until it has its references. If the seek lands after the window's first frame, an earlier keyframe is tried,
/// and finally the file is decoded from the start.
enum WindowDecoder {
    /// Calls `body(n, frame)` for every frame n of `frames`, in order.
    static func decode(_ index: VideoIndex, frames: Range<Int>,
                       _ body: (Int, UnsafePointer<AVFrame>) throws(MediaError) -> Void) throws(MediaError) {
        guard frames.lowerBound >= 0, frames.upperBound <= index.frameCount, !frames.isEmpty else {
            throw MediaError(index.path, "frames \(frames.lowerBound)..<\(frames.upperBound) requested, the video has \(index.frameCount)")
        }
        if let bad = index.firstDamaged(in: frames) {
            throw MediaError(index.path, "frame \(bad) (\(describe(index, bad))) is damaged: the stream has decode errors there (damaged frames: \(index.damaged.map { "\($0[0])..<\($0[1])" }.joined(separator: ", "))), so windows over them cannot be read")
        }
        if index.seekable {
            var candidates = index.keyframes.filter { $0 <= frames.lowerBound && $0 > 0 }.reversed().prefix(3).map { $0 }
            while let keyframe = candidates.first {
                candidates.removeFirst()
                let reader = try VideoReader(path: index.path)
                try reader.seek(to: index.pts[keyframe], tolerating: index.pts[frames.lowerBound])
                reader.unreferencedSkippedBefore = index.pts[frames.lowerBound]
                if try collect(reader, index, frames, startingNear: keyframe, body) { return }
            }
        }
        let reader = try VideoReader(path: index.path)
        if index.seekable {
            reader.tolerate(before: index.pts[frames.lowerBound])
            reader.unreferencedSkippedBefore = index.pts[frames.lowerBound]
        }
        guard try collect(reader, index, frames, startingNear: 0, body) else {
            throw MediaError(index.path, "frame \(frames.lowerBound) (\(describe(index, frames.lowerBound))) could not be decoded from the start of the file")
        }
    }

    /// False when the reader's first frame comes after the window start (the seek overshot); throws when frames
    /// are missing or out of order.
    private static func collect(_ reader: VideoReader, _ index: VideoIndex, _ frames: Range<Int>, startingNear keyframe: Int,
                                _ body: (Int, UnsafePointer<AVFrame>) throws(MediaError) -> Void) throws(MediaError) -> Bool {
        let wanted = index.pts[frames.lowerBound]
        // Enough frames to reach the window from the keyframe, with room for reordering and an early seek.
        let limit = frames.upperBound - keyframe + 256
        var decoded = 0
        var next = frames.lowerBound
        while next < frames.upperBound {
            let decodedFrame: UnsafeMutablePointer<AVFrame>?
            do {
                decodedFrame = try reader.next()
            } catch {
                throw MediaError(index.path, "frame \(next) (\(describe(index, next))): \(error.reason)")
            }
            guard decoded < limit, let frame = decodedFrame else {
                throw MediaError(index.path, "the stream ended before frame \(next) (\(describe(index, next))); the file is truncated or damaged there")
            }
            decoded += 1
            if index.seekable {
                let pts = frame.pointee.best_effort_timestamp
                if decoded == 1, pts > wanted { return false }
                if pts < wanted { continue }
                guard pts == index.pts[next] else {
                    throw MediaError(index.path, "frame \(next) (\(describe(index, next))) decoded with timestamp \(pts), expected \(index.pts[next]); the file differs from its index or is damaged")
                }
            } else if decoded - 1 < frames.lowerBound {
                // Without usable timestamps frames are counted from the start of the file.
                continue
            }
            try body(next, frame)
            next += 1
        }
        return true
    }

    static func describe(_ index: VideoIndex, _ n: Int) -> String {
        guard n < index.pts.count, index.timeBase.count == 2, index.timeBase[1] != 0, index.pts[n] != Int64.min else { return "time unknown" }
        let seconds = Double(index.pts[n]) * Double(index.timeBase[0]) / Double(index.timeBase[1])
        return String(format: "t=%.3f s", seconds)
    }
}
