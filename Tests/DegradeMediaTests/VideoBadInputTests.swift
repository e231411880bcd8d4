import Foundation
import Testing
@testable import DegradeMedia

/// Broken or unsuitable video files give an error naming the file (exit status 2 through `MediaError`), never a
/// crash or a hang.
@Suite struct VideoBadInput {
    func failure(_ path: String, cache: ScratchDir) -> MediaError? {
        do {
            let source = try VideoSource(path: path, cacheFolder: cache.path)
            for clip in try source.clips() { _ = try source.frames(of: clip.key) }
            return nil
        } catch let e as MediaError {
            return e
        } catch {
            Issue.record("expected a MediaError, got \(error)")
            return nil
        }
    }

    /// `indexCached`: a file whose damage is local is indexed (the damage recorded), so its index may be cached.
    func expectRefused(_ path: String, _ words: String..., indexCached: Bool = false) {
        let cache = ScratchDir()
        guard let e = failure(path, cache: cache) else {
            Issue.record("\(path) was accepted")
            return
        }
        #expect(e.path.hasSuffix(URL(fileURLWithPath: path).lastPathComponent), "\(e)")
        for w in words { #expect(e.reason.contains(w), "\(e.reason) should mention \(w)") }
        #expect(indexCached || !FileManager.default.fileExists(atPath: "\(cache.path)/video-index") || ((try? FileManager.default.contentsOfDirectory(atPath: "\(cache.path)/video-index"))?.isEmpty ?? true))
    }

    @Test func emptyAndTextFilesNamedMP4() throws {
        let dir = ScratchDir()
        _ = FileManager.default.createFile(atPath: "\(dir.path)/empty.mp4", contents: Data())
        expectRefused("\(dir.path)/empty.mp4", "empty")
        try Data("just some notes, not a video\n".utf8).write(to: URL(fileURLWithPath: "\(dir.path)/notes.mp4"))
        expectRefused("\(dir.path)/notes.mp4", "not a video file")
    }

    @Test func truncatedFile() throws {
        let dir = ScratchDir()
        let path = "\(dir.path)/whole.mp4"
        try VideoFixtures.write(path, frames: 40, settings: VideoFixtures.x264(gop: 10))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: "\(dir.path)/half.mp4"))
        expectRefused("\(dir.path)/half.mp4")
    }

    @Test func audioOnlyFile() throws {
        let dir = ScratchDir()
        let path = "\(dir.path)/voice.wav"
        try Self.wav(samples: 8000).write(to: URL(fileURLWithPath: path))
        expectRefused(path, "no video stream", "audio")
    }

    @Test func corruptPacketsInTheMiddle() throws {
        let dir = ScratchDir()
        let path = "\(dir.path)/damaged.mp4"
        try VideoFixtures.write(path, frames: 60, settings: VideoFixtures.x264(gop: 12))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var lcg = TestLCG(state: 7)
        let start = bytes.count * 2 / 5
        for i in start..<(start + 3000) { bytes[i] = UInt8(lcg.next(256)) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        expectRefused(path, "frame", "damaged", indexCached: true)
    }

    @Test func hugeFrameSizeInTheHeader() throws {
        let dir = ScratchDir()
        let path = "\(dir.path)/huge.mkv"
        var s = VideoFileWriter.Settings()
        s.encoder = "rawvideo"
        s.width = 256
        s.height = 256
        let writer = try VideoFileWriter(path: path, settings: s)
        try writer.append { _, _, _ in 128 }
        try writer.finish()
        // Matroska stores PixelWidth (0xB0) and PixelHeight (0xBA) as 2-byte integers here: 256 → 16384.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var patched = 0
        for i in 0..<(bytes.count - 3) where (bytes[i] == 0xB0 || bytes[i] == 0xBA) && bytes[i + 1] == 0x82 && bytes[i + 2] == 0x01 && bytes[i + 3] == 0x00 {
            bytes[i + 2] = 0x40
            patched += 1
        }
        #expect(patched == 2)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        expectRefused(path, "16384")
    }

    @Test func nonSquarePixelsAreRefusedWithTheFix() throws {
        let dir = ScratchDir()
        let path = "\(dir.path)/anamorphic.mp4"
        var s = VideoFixtures.x264(gop: 6)
        s.sampleAspect = (4, 3)
        try VideoFixtures.write(path, frames: 6, settings: s)
        expectRefused(path, "4:3", "setsar=1")
    }

    /// A mono 16-bit PCM WAV file of silence.
    static func wav(samples: Int) -> Data {
        var d = Data()
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { d.append(contentsOf: $0) } }
        d.append(contentsOf: Array("RIFF".utf8)); u32(36 + 2 * samples); d.append(contentsOf: Array("WAVEfmt ".utf8))
        u32(16); u16(1); u16(1); u32(8000); u32(16000); u16(2); u16(16)
        d.append(contentsOf: Array("data".utf8)); u32(2 * samples)
        d.append(Data(count: 2 * samples))
        return d
    }
}
