import DegradeMedia
import Testing
@testable import DegradeOps

/// Frames whose size differs from frame 0's are rescaled inside the video op; that path must give the same
/// bytes on every run, whatever the allocator hands out.
@Suite("Video compression of mixed-size clips")
struct VideoRescaleDeterminismTests {
    /// 52×52 frames, then frames of 58…62 px (as a drifting resize scale leaves them), all rescaled to 52×52.
    static let clip: [Image] = (0..<16).map { t in
        let side = t < 8 ? 52 : [60, 62, 58, 60, 58, 62, 60, 58][t - 8]
        return CodecTestPatterns.textured(width: side, height: side, phase: 0.03 * Double(t))
    }

    /// Leaves freed heap blocks of the sizes the codec allocates filled with a varying byte.
    static func dirtyHeap(_ byte: UInt8) {
        for size in [8 * 1024, 12 * 1024, 16 * 1024, 64 * 1024] {
            var blocks: [UnsafeMutableRawPointer] = []
            for _ in 0..<16 {
                let p = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
                p.initializeMemory(as: UInt8.self, repeating: byte, count: size)
                blocks.append(p)
            }
            blocks.forEach { $0.deallocate() }
        }
    }

    @Test(arguments: [VideoCodec.libx264, .mpeg4])
    func repeatedRunsGiveIdenticalFrames(codec: VideoCodec) throws {
        guard VideoCompression.isAvailable(codec) else { return }
        Self.dirtyHeap(0)
        let first = try VideoCompression.apply(Self.clip, codec: codec, rate: .bitrate(80_000))
        for byte: UInt8 in [0xFF, 0x5A, 0x81] {
            Self.dirtyHeap(byte)
            let again = try VideoCompression.apply(Self.clip, codec: codec, rate: .bitrate(80_000))
            #expect(again.encodedBytes == first.encodedBytes)
            #expect(again.frames == first.frames ? true : false)
        }
    }
}
