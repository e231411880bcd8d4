import DegradeMedia
import Foundation

/// `degrade clips --time-windows N`: how long reading one sample's frames takes from a source (seek, decode,
/// colour conversion), per clip and overall, in wall-clock and in this process's CPU time (the reading is
/// single-threaded, so CPU time stays meaningful when other processes share the cores). Starts are seeded by
/// the clip key, so runs read the same windows.
enum WindowTiming {
    static func report(_ source: any ClipSource, clips: [ClipInfo], windows: Int, frames: Int) throws {
        var all: [Double] = []
        let cpuStart = cpuMilliseconds()
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
        let cpu = (cpuMilliseconds() - cpuStart) / Double(all.count)
        print(String(format: "%.1f ms (%.1f ms CPU) per %d-frame window over %d windows of %d clips", all.reduce(0, +) / Double(all.count), cpu, frames, all.count, all.count / windows))
    }
}

private func cpuMilliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
}
