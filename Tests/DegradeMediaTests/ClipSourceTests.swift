import Foundation
import Testing
@testable import DegradeMedia

@Suite struct REDSFolders {
    func makeClip(_ dir: ScratchDir, _ name: String, frames: Int, size: (Int, Int) = (8, 6)) throws {
        for i in 0..<frames {
            try FileManager.default.createDirectory(atPath: "\(dir.path)/\(name)", withIntermediateDirectories: true)
            try ImageFile.writePNG(FrameFileReading.texture(size.0, size.1), to: "\(dir.path)/\(name)/\(String(format: "%08d", i)).png")
        }
    }

    @Test func listsClipsInOrderAndLoadsFrameRanges() throws {
        let dir = ScratchDir()
        try makeClip(dir, "001", frames: 3)
        try makeClip(dir, "000", frames: 4)
        let src = try REDSSource(root: dir.path)
        let clips = try src.clips()
        #expect(clips.map(\.key) == ["000", "001"])
        #expect(clips.map(\.frameCount) == [4, 3])
        #expect(clips[0].width == 8 && clips[0].height == 6)
        #expect(try src.frames(of: "000", range: 1..<3).count == 2)
        #expect(throws: MediaError.self) { try src.frames(of: "000", range: 2..<9) }
        #expect(throws: MediaError.self) { try src.frames(of: "../000", range: nil) }
    }

    @Test func frameOfAnotherSizeIsNamed() throws {
        let dir = ScratchDir()
        try makeClip(dir, "000", frames: 2)
        let odd = "\(dir.path)/000/00000002.png"
        try ImageFile.writePNG(FrameFileReading.texture(9, 6), to: odd)
        let src = try REDSSource(root: dir.path)
        do {
            _ = try src.frames(of: "000")
            Issue.record("expected a size mismatch")
        } catch let e as MediaError {
            #expect(e.path == odd && e.reason.contains("9×6") && e.reason.contains("8×6"))
        }
        #expect(throws: MediaError.self) { try src.validate() }
    }

    @Test func metaInfoSelectsClips() throws {
        let dir = ScratchDir()
        try makeClip(dir, "000", frames: 3)
        try makeClip(dir, "011", frames: 3)
        let meta = dir.file("meta_info.txt", Array("011 2 (6,8,3)\n".utf8))
        let src = try REDSSource(root: dir.path, metaInfoPath: meta)
        #expect(try src.clips().map(\.key) == ["011"])
        #expect(try src.frames(of: "011").count == 2)
    }

    @Test func malformedMetaInfoNamesTheLine() throws {
        do {
            _ = try MetaInfo.parse("000 100 (720,1280,3)\n001 lots (1,2,3)\n", path: "meta.txt")
            Issue.record("expected a parse error")
        } catch let e as MediaError {
            #expect(e.path == "meta.txt:2")
        } catch { Issue.record("\(error)") }
        #expect(try MetaInfo.parse("000 100 (720,1280,3)\n", path: "m").render() == "000 100 (720,1280,3)\n")
    }

    @Test func sourceKindIsDetected() throws {
        let dir = ScratchDir()
        try makeClip(dir, "000", frames: 1)
        #expect(try ClipSourceSpec(path: dir.path).resolvedKind() == .reds)
        #expect(try ClipSourceSpec(path: "\(dir.path)/000").resolvedKind() == .stills)
    }
}

@Suite struct StillsAndPans {
    func stills() throws -> (ScratchDir, StillsSource) {
        let dir = ScratchDir()
        try ImageFile.writePNG(FrameFileReading.texture(96, 64), to: "\(dir.path)/tex.png")
        return (dir, try StillsSource(folder: dir.path))
    }

    @Test func eachStillIsAOneFrameClip() throws {
        let (dir, src) = try stills()
        defer { withExtendedLifetime(dir) {} }
        let clips = try src.clips()
        #expect(clips.map(\.key) == ["tex"] && clips[0].frameCount == 1)
        #expect(try src.frames(of: "tex").count == 1)
    }

    @Test func panIsDeterministicAndMoves() throws {
        let (dir, stills) = try stills()
        defer { withExtendedLifetime(dir) {} }
        let pan = try PanSource(stills: stills, frames: 4, width: 32, height: 24)
        #expect(try pan.clips().map(\.key) == ["tex@pan"])
        let a = try pan.frames(of: "tex@pan")
        let b = try pan.frames(of: "tex@pan")
        #expect(a == b)
        #expect(a.count == 4 && a.allSatisfy { $0.width == 32 && $0.height == 24 })
        #expect(a[0] != a[3])
        #expect(try pan.frames(of: "tex@pan", range: 2..<4) == Array(a[2..<4]))
    }

    @Test func panWindowsStayInsideThePhotoAndMoveSubPixel() {
        let move = CameraPan(frames: 30, width: 1280, height: 720, speed: 2.5, direction: 0.7, zoom: 1.05)
        let windows = move.windows(sourceWidth: 1920, sourceHeight: 1280)
        for w in windows {
            #expect(w.x >= -1e-9 && w.y >= -1e-9 && w.x + w.width <= 1920 + 1e-9 && w.y + w.height <= 1280 + 1e-9)
        }
        let steps = zip(windows, windows.dropFirst()).map { ($1.x + $1.width / 2) - ($0.x + $0.width / 2) }
        #expect(steps.allSatisfy { $0 > 0 })
        #expect(steps.contains { $0.rounded() != $0 })  // not whole-pixel shifts
        #expect(windows.last!.width < windows.first!.width)  // zooming in
    }

    @Test func resamplingAConstantKeepsIt() {
        let flat = Image(width: 40, height: 30, channels: 3, pixels: [Float](repeating: 0.25, count: 3600))
        let out = Resampler.resample(flat, window: .init(x: 3.3, y: 1.7, width: 20.5, height: 11), width: 13, height: 7)
        #expect(out.pixels.allSatisfy { abs($0 - 0.25) < 1e-6 })
    }
}
