import CAVUtil
import Foundation
@testable import DegradeMedia

/// Test videos with known content, encoded in the tests: a smooth pattern drifting 2 px per frame, the frame
/// number written as 12 black/white 16×16 blocks along the top edge, and a different brightness and tint per
/// shot so cuts sit at known frames.
enum VideoFixtures {
    static let width = 256, height = 144

    /// Writes `frames` frames; `cuts` are the first frames of shots 2, 3, …
    static func write(_ path: String, frames: Int, cuts: [Int] = [], settings: VideoFileWriter.Settings = VideoFileWriter.Settings()) throws {
        var s = settings
        s.width = width
        s.height = height
        let writer = try VideoFileWriter(path: path, settings: s)
        let depthShift = s.tenBit ? 2 : 0
        for n in 0..<frames {
            let shot = cuts.filter { $0 <= n }.count
            try writer.append { plane, x, y in
                let v: Int
                if plane == 0 {
                    if y < 16, x < 16 * 12 {
                        v = (n >> (x / 16)) & 1 == 1 ? 235 : 16
                    } else {
                        let wave = sin(Double(x + 2 * n) / 11) * 30 + cos(Double(y) / 9) * 20
                        v = (shot % 2 == 0 ? 80 : 170) + Int(wave.rounded())
                    }
                } else {
                    v = 128 + (plane == 1 ? 1 : -1) * (shot % 3 - 1) * 30
                }
                return v << depthShift
            }
        }
        try writer.finish()
    }

    /// The frame number read back from the blocks of a decoded frame (R of each block's centre).
    static func frameNumber(_ image: Image, rotation: Int = 0) -> Int {
        var n = 0
        for bit in 0..<12 {
            let (x, y) = (bit * 16 + 8, 8)
            let v = image.pixels[y * image.width + x]
            if v > 0.5 { n |= 1 << bit }
        }
        return n
    }

    static func x264(gop: Int, bFrames: Int = 3, openGOP: Bool = false) -> VideoFileWriter.Settings {
        var s = VideoFileWriter.Settings()
        s.gop = gop
        s.bFrames = bFrames
        s.openGOP = openGOP
        return s
    }

    static func source(_ path: String, cache: ScratchDir, threshold: Double = VideoSource.defaultCutThreshold) throws -> VideoSource {
        try VideoSource(path: path, cutThreshold: threshold, cacheFolder: cache.path)
    }
}

/// A small deterministic generator for window starts (tests must not depend on the system's randomness).
struct TestLCG {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
}

extension VideoFixtures {
    /// Overwrites 600 bytes at 45 % of the file with seeded noise: packets in the middle that fail to decode.
    static func damage(_ path: String) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var lcg = TestLCG(state: 11)
        let start = bytes.count * 45 / 100
        for i in start..<min(bytes.count, start + 600) { bytes[i] = UInt8(lcg.next(256)) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
