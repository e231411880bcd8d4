import DegradeMedia
import Testing
@testable import DegradeOps

/// The streaming form of video compression: same frames as the one-call form, and misuse is reported.
@Suite struct VideoCompressionSessionTests {
    let clip = CodecTestPatterns.movingClip(count: 5, width: 40, height: 32)

    @Test(arguments: [VideoCodec.libx264, .mpeg4])
    func pushingFramesGivesWhatApplyGives(codec: VideoCodec) throws {
        let whole = try VideoCompression.apply(clip, codec: codec, rate: .bitrate(40_000))
        let session = try VideoCompressionSession(codec: codec, rate: .bitrate(40_000), frameCount: clip.count)
        for frame in clip { try session.push(frame) }
        let out = try session.finish()
        #expect(out.encodedBytes == whole.encodedBytes)
        #expect(out.frames.map(\.image) == whole.frames)
        #expect(out.frames.allSatisfy { $0.width == 40 && $0.height == 32 && $0.bytes.count == 40 * 32 * 3 })
    }

    @Test func misuseThrows() throws {
        let session = try VideoCompressionSession(codec: .mpeg4, rate: .bitrate(40_000), frameCount: 1)
        #expect(throws: OpError.self) { try session.finish() }  // nothing pushed
        let two = try VideoCompressionSession(codec: .mpeg4, rate: .bitrate(40_000), frameCount: 1)
        try two.push(clip[0])
        #expect(throws: OpError.self) { try two.push(clip[1]) }  // more than announced
        _ = try two.finish()
        #expect(throws: OpError.self) { try two.finish() }
        let short = try VideoCompressionSession(codec: .mpeg4, rate: .bitrate(40_000), frameCount: 3)
        try short.push(clip[0])
        #expect(throws: OpError.self) { try short.finish() }  // fewer than announced
        #expect(throws: OpError.self) { try VideoCompressionSession(codec: .mpeg4, rate: .bitrate(40_000), frameCount: 0) }
    }
}
