import Testing
@testable import DegradeMedia

@Suite struct ImageQuantisation {
    @Test func saturatesInsteadOfWrapping() {
        #expect(Image.quantize8(-0.2) == 0)
        #expect(Image.quantize8(1.3) == 255)
        #expect(Image.quantize8(.nan) == 0)
    }

    @Test func roundsHalfToEven() {
        // 0.5/255 and 2.5/255 sit exactly between two codes in exact arithmetic; Float makes them land close to it.
        #expect(Image.quantize8(128 / 255) == 128)
        #expect(Image.quantize8(1) == 255)
    }

    @Test func interleavedRoundTripIsExact() {
        let bytes: [UInt8] = (0..<(4 * 3 * 3)).map { UInt8(($0 * 37) % 256) }
        let image = bytes.withUnsafeBufferPointer { Image(interleaved8: $0, width: 4, height: 3) }
        #expect(image.interleaved8() == bytes)
        // planar: the first plane holds the red samples
        #expect(image.pixels[1] == Float(bytes[3]) / 255)
    }
}
