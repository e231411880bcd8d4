import DegradeMedia
import Testing
@testable import DegradeOps

@Suite("JPEG compression")
struct JPEGCompressionTests {
    let textured = CodecTestPatterns.textured(width: 48, height: 40)

    @Test func qualityRaisesFidelityAndSize() throws {
        let low = try JPEGCompression.applyMeasured(textured, quality: 10)
        let mid = try JPEGCompression.applyMeasured(textured, quality: 50)
        let high = try JPEGCompression.applyMeasured(textured, quality: 95)
        let psnr = [low, mid, high].map { CodecTestPatterns.psnr($0.image, textured) }
        #expect(psnr[0] < psnr[1] - 2)
        #expect(psnr[1] < psnr[2] - 2)
        #expect(low.bytes < mid.bytes && mid.bytes < high.bytes)
        #expect(high.image.width == 48 && high.image.height == 40 && high.image.channels == 3)
    }

    @Test func swappedChannelsChangeChromaButStayClose() throws {
        let correct = try JPEGCompression.apply(textured, quality: 95)
        let swapped = try JPEGCompression.apply(textured, quality: 95, swapRB: true)
        #expect(correct != swapped)
        #expect(CodecTestPatterns.psnr(correct, textured) > 36)
        #expect(CodecTestPatterns.psnr(swapped, textured) > 36)
    }

    @Test func grayContentIgnoresChannelSwap() throws {
        let gray = CodecTestPatterns.gray(width: 48, height: 40)
        let correct = try JPEGCompression.apply(gray, quality: 40)
        let swapped = try JPEGCompression.apply(gray, quality: 40, swapRB: true)
        #expect(correct == swapped)
    }

    @Test func sameInputGivesSameOutput() throws {
        let first = try JPEGCompression.applyMeasured(textured, quality: 37)
        let second = try JPEGCompression.applyMeasured(textured, quality: 37)
        #expect(first.image == second.image)
        #expect(first.bytes == second.bytes)
    }

    @Test(arguments: [0, -5, 101])
    func rejectsQualityOutsideLibjpegRange(quality: Int) {
        #expect(throws: OpError.self) { try JPEGCompression.apply(textured, quality: quality) }
    }

    @Test(arguments: [(1, 1), (7, 5), (17, 2)])
    func handlesTinyAndOddSizes(size: (Int, Int)) throws {
        let image = CodecTestPatterns.textured(width: size.0, height: size.1)
        let out = try JPEGCompression.apply(image, quality: 90)
        #expect(out.width == size.0 && out.height == size.1)
        #expect(CodecTestPatterns.psnr(out, image) > 25)
    }

    @Test func saturatesOutOfRangeValuesInsteadOfWrapping() throws {
        // 1.3·255 would wrap to 75 under uint8 truncation; saturation keeps it white.
        let bright = Image(width: 16, height: 16, channels: 3, pixels: [Float](repeating: 1.3, count: 3 * 256))
        let out = try JPEGCompression.apply(bright, quality: 75)
        #expect(out.pixels.allSatisfy { $0 > 0.97 })
    }

    @Test func singleChannelIsGrayscaleJPEGAndOtherCountsAreRejected() throws {
        let gray = CodecTestPatterns.gray(width: 48, height: 40)
        let plane = Image(width: 48, height: 40, channels: 1, pixels: Array(gray.pixels[0..<(48 * 40)]))
        let out = try JPEGCompression.apply(plane, quality: 90)
        #expect(out.channels == 1)
        #expect(CodecTestPatterns.psnr(out, plane) > 35)
        let twoChannels = Image(width: 4, height: 4, channels: 2)
        #expect(throws: OpError.self) { try JPEGCompression.apply(twoChannels, quality: 90) }
    }
}
