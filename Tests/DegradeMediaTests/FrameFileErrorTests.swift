import Foundation
import Testing
@testable import DegradeMedia

/// Bad frame files give a `MediaError` naming the file and the reason, never a crash or a huge allocation.
@Suite struct FrameFileErrors {
    func expectError(_ path: String, mentions words: [String]) {
        do {
            _ = try ImageFile.read(path)
            Issue.record("expected an error reading \(path)")
        } catch let error as MediaError {
            #expect(error.path == path)
            for w in words { #expect(error.reason.lowercased().contains(w), "\(error) should mention \(w)") }
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    func validPNG() throws -> [UInt8] {
        try ImageFile.encodePNG(FrameFileReading.texture(16, 16))
    }

    func validJPEG(_ dir: ScratchDir) throws -> [UInt8] {
        let p = "\(dir.path)/src.jpg"
        try ImageFile.writeJPEG(FrameFileReading.texture(16, 16), to: p, quality: 90)
        return Array(try Data(contentsOf: URL(fileURLWithPath: p)))
    }

    @Test func zeroByteFile() {
        let dir = ScratchDir()
        expectError(dir.file("empty.png", []), mentions: ["empty"])
    }

    @Test func missingFile() {
        expectError("/nonexistent/degrade/frame.png", mentions: ["no such file"])
    }

    @Test func notAnImage() {
        let dir = ScratchDir()
        expectError(dir.file("text.png", Array("hello, not a picture".utf8)), mentions: ["png"])
    }

    @Test func wrongExtension() throws {
        let dir = ScratchDir()
        expectError(dir.file("really-a-jpeg.png", try validJPEG(dir)), mentions: ["jpeg", ".png"])
        expectError(dir.file("really-a-png.jpg", try validPNG()), mentions: ["png", ".jpeg"])
    }

    @Test func truncatedPNG() throws {
        let dir = ScratchDir()
        let bytes = try validPNG()
        expectError(dir.file("cut.png", Array(bytes.prefix(bytes.count / 2))), mentions: ["png"])
        expectError(dir.file("header-only.png", Array(bytes.prefix(20))), mentions: ["png"])
    }

    @Test func corruptPNGChecksum() throws {
        let dir = ScratchDir()
        var bytes = try validPNG()
        bytes[bytes.count - 20] ^= 0xff  // inside IDAT or its CRC
        expectError(dir.file("crc.png", bytes), mentions: ["corrupt"])
    }

    @Test func truncatedJPEG() throws {
        let dir = ScratchDir()
        let bytes = try validJPEG(dir)
        expectError(dir.file("cut.jpg", Array(bytes.prefix(bytes.count * 2 / 3))), mentions: ["jpeg"])
    }

    @Test func hugePNGHeaderIsRefusedBeforeAllocating() {
        let dir = ScratchDir()
        let forged = PNGFixtures.png(width: 60000, height: 60000, colorType: 2, bitDepth: 8, rows: [[0, 0, 0]])
        expectError(dir.file("huge.png", forged), mentions: ["60000"])
    }

    @Test func hugeJPEGHeaderIsRefusedBeforeAllocating() throws {
        let dir = ScratchDir()
        var bytes = try validJPEG(dir)
        // Patch the SOF0 frame header (FF C0 len(2) precision(1) height(2) width(2)) to 60000×60000.
        let sof = try #require((0..<(bytes.count - 9)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        for offset in [sof + 5, sof + 7] { bytes[offset] = 0xEA; bytes[offset + 1] = 0x60 }
        expectError(dir.file("huge.jpg", bytes), mentions: ["60000"])
    }

    @Test func directoryInsteadOfFile() {
        let dir = ScratchDir()
        expectError(dir.path, mentions: ["directory"])
    }
}
