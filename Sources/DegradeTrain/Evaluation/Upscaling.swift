import DegradeMedia
import Foundation

/// Running a recurrent model over clips of any length with bounded memory, and writing results.
public enum Upscaling {
    /// The frame ranges `chunked` runs the model on and the part of each it keeps.
    ///
    /// The clip is cut into kept cores of `chunk − 2·overlap` frames; each core is run with up to `overlap` extra
    /// frames of context on either side (clamped to the clip), so every window holds at most `chunk` frames and a
    /// kept frame is always ≥ `overlap` frames from a window edge that is not the clip's own edge. A recurrent model
    /// whose influence fades within `overlap` frames therefore gives (nearly) the unchunked result.
    /// - Precondition: `chunk > 2·overlap`, `overlap ≥ 0`.
    public static func windows(frameCount n: Int, chunk: Int, overlap: Int) -> [(run: Range<Int>, keep: Range<Int>)] {
        precondition(overlap >= 0 && chunk > 2 * overlap,
                     "Upscaling: chunk (\(chunk)) must exceed twice the overlap (\(overlap))")
        if n <= chunk { return n == 0 ? [] : [(0..<n, 0..<n)] }
        let core = chunk - 2 * overlap
        var result: [(Range<Int>, Range<Int>)] = []
        var start = 0
        while start < n {
            let end = min(n, start + core)
            result.append((max(0, start - overlap)..<min(n, end + overlap), start..<end))
            start = end
        }
        return result
    }

    /// `upscale` applied to a long clip in overlapping windows (see `windows`), keeping each window's centre:
    /// peak memory is that of `chunk` frames instead of the whole clip. Returns one output per input frame.
    /// - Throws: what `upscale` throws, or `OpError` when it returns the wrong number of frames.
    public static func chunked(frames: [Image], chunk: Int = 30, overlap: Int = 5,
                               upscale: ([Image]) throws -> [Image]) throws -> [Image] {
        var out: [Image] = []
        out.reserveCapacity(frames.count)
        for (run, keep) in windows(frameCount: frames.count, chunk: chunk, overlap: overlap) {
            let result = try upscale(Array(frames[run]))
            guard result.count == run.count else {
                throw EvaluationError("the model returned \(result.count) frames for a window of \(run.count)")
            }
            out += result[(keep.lowerBound - run.lowerBound)..<(keep.upperBound - run.lowerBound)]
        }
        return out
    }

    /// Writes `frames` as PNGs into `directory` (created if needed), named `names[i]` or, without names,
    /// REDS-style `00000000.png`, `00000001.png`, …; each file is written atomically.
    public static func writeClip(_ frames: [Image], to directory: String, names: [String]? = nil) throws {
        if let names, names.count != frames.count {
            throw EvaluationError("writeClip: \(names.count) names for \(frames.count) frames")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(directory, "cannot create the folder: \(error.localizedDescription)")
        }
        for (i, frame) in frames.enumerated() {
            var name = names?[i] ?? String(format: "%08d.png", i)
            if !name.lowercased().hasSuffix(".png") { name = (name as NSString).deletingPathExtension + ".png" }
            try ImageFile.writePNG(frame, to: (directory as NSString).appendingPathComponent(name))
        }
    }
}
