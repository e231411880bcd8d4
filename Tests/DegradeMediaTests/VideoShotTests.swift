import Foundation
import Testing
@testable import DegradeMedia

/// Scene cuts split a file into shots; every clip is one shot, so no window spans a cut.
@Suite struct VideoShots {
    @Test func cutsAtKnownFramesBecomeShotClips() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = "\(dir.path)/cuts.mp4"
        try VideoFixtures.write(path, frames: 90, cuts: [40, 65], settings: VideoFixtures.x264(gop: 12))
        let source = try VideoFixtures.source(path, cache: cache)
        let clips = try source.clips()
        #expect(clips.map(\.key) == ["cuts.mp4@shot1", "cuts.mp4@shot2", "cuts.mp4@shot3"])
        #expect(clips.map(\.frameCount) == [40, 25, 25])
        // Frame 0 of shot 2 is frame 40 of the file.
        let first = try source.frames(of: "cuts.mp4@shot2", range: 0..<1)
        #expect(VideoFixtures.frameNumber(first[0]) == 40)
        let last = try source.frames(of: "cuts.mp4@shot3", range: 24..<25)
        #expect(VideoFixtures.frameNumber(last[0]) == 89)
        #expect(throws: MediaError.self) { try source.frames(of: "cuts.mp4@shot2", range: 20..<26) }
        let summary = try #require(try source.fileSummaries().first)
        #expect(summary.shots == [[0, 40], [40, 65], [65, 90]] && summary.frameCount == 90)
    }

    @Test func motionAloneScoresBelowTheThresholdAndTheThresholdIsConfigurable() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = "\(dir.path)/pan.mp4"
        try VideoFixtures.write(path, frames: 30, cuts: [15], settings: VideoFixtures.x264(gop: 30))
        let index = try VideoFixtures.source(path, cache: cache).index(of: path)
        let motion = index.cutScores.enumerated().filter { $0.offset != 0 && $0.offset != 15 }.map(\.element)
        #expect(motion.max()! < Float(VideoSource.defaultCutThreshold / 2))
        #expect(index.cutScores[15] > Float(VideoSource.defaultCutThreshold * 2))
        // A threshold above the cut's score keeps the file whole; shorter shots than --min-shot are left out.
        let whole = try VideoSource(path: path, cutThreshold: Double(index.cutScores[15]) + 0.01, cacheFolder: cache.path)
        #expect(try whole.clips().map(\.key) == ["pan.mp4"])
        let long = try VideoSource(path: path, minimumShot: 16, cacheFolder: cache.path)
        #expect(throws: MediaError.self) { try long.clips() }
    }

    @Test func aFolderOfVideosListsEveryFileInNameOrder() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        try VideoFixtures.write("\(dir.path)/b.mkv", frames: 12, settings: VideoFixtures.x264(gop: 6))
        try VideoFixtures.write("\(dir.path)/a.mp4", frames: 10, settings: VideoFixtures.x264(gop: 6))
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: "\(dir.path)/notes.txt"))
        #expect(try ClipSourceSpec(path: dir.path).resolvedKind() == .video)
        #expect(try ClipSourceSpec(path: "\(dir.path)/a.mp4").resolvedKind() == .video)
        let clips = try VideoFixtures.source(dir.path, cache: cache).clips()
        #expect(clips.map(\.key) == ["a.mp4", "b.mkv"] && clips.map(\.frameCount) == [10, 12])
    }
}
