import DegradeMedia
import Foundation

/// Video files for stream and command tests, encoded here with libavcodec: a smooth pattern drifting 2 px per
/// frame with the frame number in blocks along the top (one shot), x264 with a fixed GOP of 12 and 3 B-frames.
enum VideoRenderFixtures {
    static func write(_ path: String, frames: Int, frameRate: Int = 25) throws {
        var s = VideoFileWriter.Settings()
        s.frameRate = frameRate
        s.bFrames = 3
        let writer = try VideoFileWriter(path: path, settings: s)
        for n in 0..<frames {
            try writer.append { plane, x, y in
                guard plane == 0 else { return 128 + (plane == 1 ? 8 : -8) }
                // The frame number as 16×16 black/white blocks along the top, over a drifting wave.
                if y < 16, x < 16 * 12 { return (n >> (x / 16)) & 1 == 1 ? 235 : 16 }
                return 80 + Int((sin(Double(x + 2 * n) / 11) * 30 + cos(Double(y) / 9) * 20).rounded())
            }
        }
        try writer.finish()
    }

    /// 120 frames with 600 bytes of seeded noise at 30, 50 and 70 % of the file: packets in the middle that fail
    /// to decode (a few frames around each place).
    static func damaged(in dir: String) throws -> String {
        let path = "\(dir)/damaged.mp4"
        try write(path, frames: 120)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var state: UInt64 = 11
        for percent in [30, 50, 70] {
            let start = bytes.count * percent / 100
            for i in start..<min(bytes.count, start + 600) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes[i] = UInt8((state >> 33) & 0xFF)
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
