import Foundation
import Testing
@testable import DegradeMedia

@Suite struct FrameFileReading {
    static func texture(_ w: Int, _ h: Int) -> Image {
        var img = Image(width: w, height: h)
        for c in 0..<3 {
            for y in 0..<h {
                for x in 0..<w {
                    img.pixels[c * w * h + y * w + x] = Float((x * 7 + y * 13 + c * 50) % 256) / 255
                }
            }
        }
        return img
    }

    @Test func pngRoundTripIsExactAtEightBits() throws {
        let dir = ScratchDir()
        let img = Self.texture(17, 9)
        let path = "\(dir.path)/f.png"
        try ImageFile.writePNG(img, to: path)
        let back = try ImageFile.read(path)
        #expect(back.image == img)
        #expect(back.format == .png && back.bitDepth == 8 && !back.wasGray && !back.droppedAlpha)
        #expect(dir.listing() == ["f.png"])  // no temporary file left behind
    }

    @Test func jpegFilesDecodeCloseToTheOriginal() throws {
        let dir = ScratchDir()
        var img = Image(width: 32, height: 24)
        for i in 0..<img.pixels.count { img.pixels[i] = Float(i % 768) / 1000 + 0.1 }  // smooth ramps
        let path = "\(dir.path)/f.jpg"
        try ImageFile.writeJPEG(img, to: path, quality: 98)
        let back = try ImageFile.read(path).image
        #expect(back.width == 32 && back.height == 24)
        let mae = zip(back.pixels, img.pixels).map { abs($0 - $1) }.reduce(0, +) / Float(img.pixels.count)
        #expect(mae < 0.01)
    }

    @Test func sixteenBitPNGKeepsItsPrecision() throws {
        let dir = ScratchDir()
        // 2×1 RGB16: (1, 2, 3) and (65535, 32768, 0)
        let row: [UInt8] = [0, 1, 0, 2, 0, 3, 0xff, 0xff, 0x80, 0x00, 0, 0]
        let path = dir.file("deep.png", PNGFixtures.png(width: 2, height: 1, colorType: 2, bitDepth: 16, rows: [row]))
        let d = try ImageFile.read(path)
        #expect(d.bitDepth == 16)
        #expect(d.image.pixels[0] == Float(1) / 65535)
        #expect(d.image.pixels[1] == 1)
        #expect(d.image.pixels[3] == Float(32768) / 65535)
    }

    @Test func grayIsPromotedToRGB() throws {
        let dir = ScratchDir()
        let path = dir.file("g.png", PNGFixtures.png(width: 3, height: 1, colorType: 0, bitDepth: 8, rows: [[0, 128, 255]]))
        let d = try ImageFile.read(path)
        #expect(d.wasGray && d.image.channels == 3)
        #expect(d.image.pixels[1] == Float(128) / 255 && d.image.pixels[3 + 1] == Float(128) / 255 && d.image.pixels[6 + 1] == Float(128) / 255)
    }

    @Test func alphaIsDroppedAndReported() throws {
        let dir = ScratchDir()
        let path = dir.file("a.png", PNGFixtures.png(width: 1, height: 1, colorType: 6, bitDepth: 8, rows: [[10, 20, 30, 0]]))
        let d = try ImageFile.read(path)
        #expect(d.droppedAlpha)
        #expect(d.image.pixels == [10, 20, 30].map { Float($0) / 255 })
    }
}
