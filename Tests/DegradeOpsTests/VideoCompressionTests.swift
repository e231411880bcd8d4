import DegradeMedia
import Testing
@testable import DegradeOps

@Suite("Video compression round trip")
struct VideoCompressionTests {
    let clip = CodecTestPatterns.movingClip(count: 6, width: 64, height: 48)

    @Test func referenceCodecsArePresent() {
        #expect(VideoCompression.isAvailable(.libx264))
        #expect(VideoCompression.isAvailable(.mpeg4))
    }

    @Test(arguments: [VideoCodec.libx264, .mpeg4])
    func keepsFrameCountSizeAndContent(codec: VideoCodec) throws {
        let result = try VideoCompression.apply(clip, codec: codec, rate: .bitrate(400_000))
        #expect(result.frames.count == clip.count)
        #expect(result.frames.allSatisfy { $0.width == 64 && $0.height == 48 && $0.channels == 3 })
        #expect(result.encodedBytes > 0)
        #expect(result.encodeSeconds >= 0 && result.decodeSeconds >= 0)
        // Colour channels in the right order and frames in display order: each frame matches its own input.
        for (index, frame) in result.frames.enumerated() {
            #expect(CodecTestPatterns.psnr(frame, clip[index]) > 32, "frame \(index)")
        }
    }

    @Test func bitrateRaisesFidelityForX264() throws {
        let starved = try VideoCompression.apply(clip, codec: .libx264, rate: .bitrate(2_000))
        let generous = try VideoCompression.apply(clip, codec: .libx264, rate: .bitrate(400_000))
        #expect(CodecTestPatterns.meanPSNR(starved.frames, clip) < CodecTestPatterns.meanPSNR(generous.frames, clip) - 3)
        #expect(starved.encodedBytes < generous.encodedBytes)
    }

    @Test(arguments: [(VideoCodec.libx264, 18, 45), (.mpeg4, 2, 31), (.libvpxVP9, 15, 55)])
    func qualityModeTracksTheQuantiser(codec: VideoCodec, fine: Int, coarse: Int) throws {
        let good = try VideoCompression.apply(clip, codec: codec, rate: .quality(fine))
        let poor = try VideoCompression.apply(clip, codec: codec, rate: .quality(coarse))
        #expect(CodecTestPatterns.meanPSNR(good.frames, clip) > CodecTestPatterns.meanPSNR(poor.frames, clip) + 3)
        #expect(good.encodedBytes > poor.encodedBytes)
    }

    @Test func rescalesFramesToTheFirstFramesSize() throws {
        var mixed = clip
        mixed[2] = CodecTestPatterns.textured(width: 60, height: 44, phase: 0.06)
        mixed[4] = CodecTestPatterns.textured(width: 72, height: 52, phase: 0.12)
        let result = try VideoCompression.apply(mixed, codec: .libx264, rate: .bitrate(400_000))
        #expect(result.frames.allSatisfy { $0.width == 64 && $0.height == 48 })
        // The pattern is resolution-independent, so a rescaled frame resembles the 64×48 rendering.
        #expect(CodecTestPatterns.psnr(result.frames[2], clip[2]) > 25)
        #expect(CodecTestPatterns.psnr(result.frames[4], clip[4]) > 25)
    }

    @Test(arguments: [VideoCodec.libx264, .mpeg4, .libx265])
    func padsOddSizesAndCropsBack(codec: VideoCodec) throws {
        try #require(VideoCompression.isAvailable(codec))
        let odd = CodecTestPatterns.movingClip(count: 4, width: 33, height: 17)
        let result = try VideoCompression.apply(odd, codec: codec, rate: .bitrate(100_000))
        #expect(result.frames.count == 4)
        #expect(result.frames.allSatisfy { $0.width == 33 && $0.height == 17 })
        #expect(CodecTestPatterns.meanPSNR(result.frames, odd) > 27)
    }

    @Test(arguments: [(VideoCodec.libx265, 5, 3), (.libsvtav1, 5, 3), (.libx264, 2, 2), (.libaomAV1, 3, 1)])
    func padsSizesBelowTheEncoderMinimum(codec: VideoCodec, width: Int, height: Int) throws {
        try #require(VideoCompression.isAvailable(codec))
        // Smooth content: any misplaced crop or padding would show as a large error.
        let frames = (0..<3).map { CodecTestPatterns.smooth(width: width, height: height, shift: 0.05 * Float($0)) }
        let result = try VideoCompression.apply(frames, codec: codec, rate: .bitrate(100_000))
        #expect(result.frames.count == 3)
        #expect(result.frames.allSatisfy { $0.width == width && $0.height == height })
        #expect(CodecTestPatterns.meanPSNR(result.frames, frames) > 30)
    }

    @Test func saturatesOutOfRangeValuesInsteadOfWrapping() throws {
        // The reference's uint8(255·1.3) wraps to 75 (≈ 0.29); saturation keeps the frame white.
        let bright = Image(width: 32, height: 32, channels: 3, pixels: [Float](repeating: 1.3, count: 3 * 1024))
        let result = try VideoCompression.apply([bright, bright], codec: .libx264, rate: .bitrate(100_000))
        #expect(result.frames.allSatisfy { $0.pixels.allSatisfy { $0 > 0.95 } })
    }

    @Test func rejectsUnusableInputWithOpError() {
        #expect(throws: OpError.self) { try VideoCompression.apply([], codec: .libx264, rate: .bitrate(50_000)) }
        let grayFrame = Image(width: 16, height: 16, channels: 1)
        #expect(throws: OpError.self) { try VideoCompression.apply([grayFrame], codec: .mpeg4, rate: .bitrate(50_000)) }
        #expect(throws: OpError.self) { try VideoCompression.apply(clip, codec: .libx264, rate: .bitrate(0)) }
        #expect(throws: OpError.self) { try VideoCompression.apply(clip, codec: .libx264, rate: .quality(52)) }
        #expect(throws: OpError.self) { try VideoCompression.apply(clip, codec: .mpeg4, rate: .quality(0)) }
    }

    @Test func errorNamesCodecAndExpectation() {
        do {
            _ = try VideoCompression.apply(clip, codec: .libvpxVP9, rate: .quality(64))
            Issue.record("quality 64 was accepted")
        } catch let error as OpError {
            #expect(error.op == VideoCompression.opName)
            #expect(error.reason.contains("libvpx-vp9"))
            #expect(error.reason.contains("0…63"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func ffmpegFailuresBecomeOpErrorsWithTheLibraryMessage() {
        // libx264 takes kbit/s in an Int32; FFmpeg refuses to open the encoder rather than overflow.
        do {
            _ = try VideoCompression.apply(clip, codec: .libx264, rate: .bitrate(Int.max))
            Issue.record("an impossible bit rate was accepted")
        } catch let error as OpError {
            #expect(error.reason.contains("libx264"))
            #expect(error.reason.contains("avcodec_open2 failed"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
