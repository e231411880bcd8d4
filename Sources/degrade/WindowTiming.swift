import DegradeMedia
import Foundation

/// `degrade clips --time-windows N`: how long reading one sample's frames takes from a source (seek, decode,
/// colour conversion), per clip and overall. Starts are seeded by the clip key, so runs read the same windows.
enum WindowTiming {
    static func report(_ source: any ClipSource, clips: [ClipInfo], windows: Int, frames: Int) throws {
        var all: [Double] = []
        for clip in clips where clip.frameCount >= frames {
            var state = StableHash.hash(clip.key)
            var times: [Double] = []
            for _ in 0..<windows {
                state = StableHash.mix(state &+ 0x9E37_79B9_7F4A_7C15)
                let start = Int(state % UInt64(clip.frameCount - frames + 1))
                let began = ContinuousClock.now
                _ = try source.frames(of: clip.key, range: start..<(start + frames))
                let d = ContinuousClock.now - began
                times.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15)
            }
            all += times
            print("  \(clip.key)  " + String(format: "%.1f ms per %d-frame window (mean of %d)", times.reduce(0, +) / Double(times.count), frames, times.count))
        }
        guard !all.isEmpty else {
            print("no clip has \(frames) frames; nothing timed")
            return
        }
        print(String(format: "%.1f ms per %d-frame window over %d windows of %d clips", all.reduce(0, +) / Double(all.count), frames, all.count, all.count / windows))
    }
}
