import Foundation
import Testing
@testable import DegradeMedia

/// Seeking to a window gives exactly the frames a full decode from the start gives.
@Suite struct VideoWindowAccuracy {
    func checkWindows(_ path: String, frames: Int, windows: Int = 14, length: Int = 7) throws {
        let cache = ScratchDir()
        let source = try VideoFixtures.source(path, cache: cache)
        let clips = try source.clips()
        #expect(clips.count == 1)
        let key = try #require(clips.first).key
        #expect(clips[0].frameCount == frames)
        let all = try source.frames(of: key)
        #expect(all.count == frames)
        #expect(all.enumerated().allSatisfy { VideoFixtures.frameNumber($0.element) == $0.offset })
        var lcg = TestLCG(state: 42)
        for w in 0..<windows {
            let start = w == 0 ? frames - length : lcg.next(frames - length + 1)
            let window = try source.frames(of: key, range: start..<(start + length))
            #expect(window.count == length)
            for (i, image) in window.enumerated() {
                #expect(image == all[start + i], "window at \(start), frame \(start + i) differs from the full decode")
            }
        }
        let index = try source.index(of: path)
        #expect(index.seekable)
        #expect(index.keyframes.count > 1, "the test video should have several GOPs")
    }

    @Test func h264WithBFramesClosedGOP() throws {
        let dir = ScratchDir()
        let path = "\(dir.path)/closed.mp4"
        try VideoFixtures.write(path, frames: 96, settings: VideoFixtures.x264(gop: 12, bFrames: 3))
        try checkWindows(path, frames: 96)
    }

    @Test func h264OpenGOPInMatroska() throws {
        let dir = ScratchDir()
        let path = "\(dir.path)/open.mkv"
        try VideoFixtures.write(path, frames: 96, settings: VideoFixtures.x264(gop: 16, bFrames: 3, openGOP: true))
        try checkWindows(path, frames: 96)
    }

    @Test func mpeg4WithBFrames() throws {
        let dir = ScratchDir()
        let path = "\(dir.path)/part2.mp4"
        var s = VideoFileWriter.Settings()
        s.encoder = "mpeg4"
        s.gop = 10
        s.bFrames = 2
        s.quantizer = 3
        try VideoFixtures.write(path, frames: 80, settings: s)
        try checkWindows(path, frames: 80)
    }

    @Test func regionOfAWindowIsTheCropOfItsFrames() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = "\(dir.path)/crop.mp4"
        try VideoFixtures.write(path, frames: 30, settings: VideoFixtures.x264(gop: 8))
        let source = try VideoFixtures.source(path, cache: cache)
        let region = PixelRegion(x: 37, y: 11, width: 64, height: 40)
        let whole = try source.frames(of: "crop.mp4", range: 9..<14)
        let cropped = try source.frames(of: "crop.mp4", range: 9..<14, region: region)
        #expect(cropped == whole.map { $0.cropped(to: region) })
    }

    @Test func indexIsCachedInTheCacheFolderAndNotBesideTheVideo() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = "\(dir.path)/cached.mp4"
        try VideoFixtures.write(path, frames: 20, settings: VideoFixtures.x264(gop: 10))
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        _ = try VideoFixtures.source(path, cache: cache).clips()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == before)
        let cached = try FileManager.default.contentsOfDirectory(atPath: "\(cache.path)/video-index")
        #expect(cached.count == 1 && cached[0].hasSuffix(".json"))
        // A second source reads the cached index: the same clips, and the file's frames still decode.
        let again = try VideoFixtures.source(path, cache: cache)
        #expect(try again.clips().first?.frameCount == 20)
        // Rewriting the video (new size and time) makes the old entry stale: a new one is built.
        try VideoFixtures.write(path, frames: 24, settings: VideoFixtures.x264(gop: 10))
        #expect(try VideoFixtures.source(path, cache: cache).clips().first?.frameCount == 24)
    }
}
