import CAVUtil
import Foundation
import Testing
@testable import DegradeMedia

/// YUV → RGB follows the stream's matrix and range; 10-bit sources round to the same 8-bit levels; display
/// rotation is applied.
@Suite struct VideoColour {
    /// A lossless flat-colour clip (libx264 qp 0) with the given tags, decoded to one pixel's RGB levels.
    func decodedLevels(y: Int, u: Int, v: Int, space: AVColorSpace, full: Bool, tenBit: Bool = false) throws -> [Int] {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = "\(dir.path)/flat.mp4"
        var s = VideoFileWriter.Settings()
        s.quantizer = 0
        s.bFrames = 0
        s.gop = 4
        s.colorSpace = space
        s.fullRange = full
        s.tenBit = tenBit
        s.width = 64
        s.height = 64
        let writer = try VideoFileWriter(path: path, settings: s)
        let shift = tenBit ? 2 : 0
        for _ in 0..<2 { try writer.append { plane, _, _ in [y, u, v][plane] << shift } }
        try writer.finish()
        let frame = try #require(try VideoSource(path: path, cacheFolder: cache.path).frames(of: "flat.mp4").first)
        let centre = 32 * 64 + 32
        return (0..<3).map { Int((frame.pixels[$0 * frame.planeSize + centre] * 255).rounded()) }
    }

    /// RGB levels from the standard equations, for comparison.
    func expected(y: Int, u: Int, v: Int, kr: Double, kb: Double, full: Bool) -> [Int] {
        let yy = full ? Double(y) / 255 : (Double(y) - 16) / 219
        let pb = full ? (Double(u) - 128) / 255 : (Double(u) - 128) / 224
        let pr = full ? (Double(v) - 128) / 255 : (Double(v) - 128) / 224
        let kg = 1 - kr - kb
        let r = yy + 2 * (1 - kr) * pr
        let b = yy + 2 * (1 - kb) * pb
        let g = (yy - kr * r - kb * b) / kg
        return [r, g, b].map { Int((min(max($0, 0), 1) * 255).rounded()) }
    }

    func close(_ a: [Int], _ b: [Int]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1 } }

    @Test func matrixAndRangeFollowTheStream() throws {
        let (y, u, v) = (120, 100, 170)
        let bt709 = try decodedLevels(y: y, u: u, v: v, space: AVCOL_SPC_BT709, full: false)
        #expect(close(bt709, expected(y: y, u: u, v: v, kr: 0.2126, kb: 0.0722, full: false)), "\(bt709)")
        let bt601 = try decodedLevels(y: y, u: u, v: v, space: AVCOL_SPC_SMPTE170M, full: false)
        #expect(close(bt601, expected(y: y, u: u, v: v, kr: 0.299, kb: 0.114, full: false)), "\(bt601)")
        let bt2020 = try decodedLevels(y: y, u: u, v: v, space: AVCOL_SPC_BT2020_NCL, full: false)
        #expect(close(bt2020, expected(y: y, u: u, v: v, kr: 0.2627, kb: 0.0593, full: false)), "\(bt2020)")
        let full601 = try decodedLevels(y: y, u: u, v: v, space: AVCOL_SPC_SMPTE170M, full: true)
        #expect(close(full601, expected(y: y, u: u, v: v, kr: 0.299, kb: 0.114, full: true)), "\(full601)")
        // The four really differ, so the tags were not ignored.
        #expect(Set([bt709, bt601, bt2020, full601]).count == 4)
    }

    @Test func tenBitRoundsToTheNearestEightBitLevel() throws {
        let (y, u, v) = (120, 100, 170)
        let eight = try decodedLevels(y: y, u: u, v: v, space: AVCOL_SPC_BT709, full: false)
        let ten = try decodedLevels(y: y, u: u, v: v, space: AVCOL_SPC_BT709, full: false, tenBit: true)
        #expect(close(ten, expected(y: y, u: u, v: v, kr: 0.2126, kb: 0.0722, full: false)), "\(ten)")
        #expect(close(ten, eight))
    }

    @Test func rotationMetadataTurnsTheFrames() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        try VideoFixtures.write("\(dir.path)/upright.mp4", frames: 6, settings: VideoFixtures.x264(gop: 6))
        var turned = VideoFixtures.x264(gop: 6)
        turned.rotation = 90
        try VideoFixtures.write("\(dir.path)/phone.mp4", frames: 6, settings: turned)
        let source = try VideoSource(path: dir.path, cacheFolder: cache.path)
        let clips = try source.clips()
        #expect(clips.map { [$0.width, $0.height] } == [[144, 256], [256, 144]])
        let phone = try source.frames(of: "phone.mp4", range: 2..<3)[0]
        let upright = try source.frames(of: "upright.mp4", range: 2..<3)[0]
        #expect(phone.width == 144 && phone.height == 256)
        // Turned clockwise: the upright frame's pixel (x, y) shows at (H−1−y, x).
        var same = true
        for c in 0..<3 {
            for y in Swift.stride(from: 0, to: 144, by: 7) {
                for x in Swift.stride(from: 0, to: 256, by: 7) {
                    let a = upright.pixels[c * upright.planeSize + y * 256 + x]
                    let b = phone.pixels[c * phone.planeSize + x * 144 + (143 - y)]
                    if a != b { same = false }
                }
            }
        }
        #expect(same)
    }
}
