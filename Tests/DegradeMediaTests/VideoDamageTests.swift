import Foundation
import Testing
@testable import DegradeMedia

/// A file with corrupt packets in the middle stays usable: indexing records the damaged frames, windows away from
/// them decode exactly, and a window over them is an error naming the file and the frame.
@Suite struct VideoDamage {
    /// 120 frames, GOP 12; bytes in the middle of the file overwritten with noise.
    static func damagedVideo(in dir: ScratchDir) throws -> String {
        let path = "\(dir.path)/damaged.mp4"
        try VideoFixtures.write(path, frames: 120, settings: VideoFixtures.x264(gop: 12))
        try VideoFixtures.damage(path)
        return path
    }

    @Test func damagedFramesAreIndexedAndOnlyWindowsOverThemFail() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = try Self.damagedVideo(in: dir)
        let source = try VideoFixtures.source(path, cache: cache)
        let clip = try #require(try source.clips().first)
        let index = try source.index(of: path)
        let damaged = try #require(index.damaged.first, "the noise should have made decode errors")
        #expect(damaged[0] > 0 && damaged[1] < index.frameCount, "damage \(index.damaged) should sit inside the file")

        // Windows before and after the damage hold the frames a full decode gives.
        let before = try source.frames(of: clip.key, range: 0..<min(6, damaged[0]))
        #expect(before.enumerated().allSatisfy { VideoFixtures.frameNumber($0.element) == $0.offset })
        let last = index.damaged.last![1]
        if last + 6 <= index.frameCount {
            let after = try source.frames(of: clip.key, range: last..<(last + 6))
            let numbers = after.map { VideoFixtures.frameNumber($0) }
            #expect(numbers == numbers.indices.map { numbers[0] + $0 }, "\(numbers) should be consecutive")
        }

        let start = max(0, damaged[0] - 2)
        do {
            _ = try source.frames(of: clip.key, range: start..<(start + 5))
            Issue.record("a window over damaged frames \(index.damaged) was read")
        } catch let e as MediaError {
            #expect(e.path.hasSuffix("damaged.mp4"))
            #expect(e.reason.contains("frame \(damaged[0])"), "\(e.reason)")
            #expect(e.reason.contains("damaged"), "\(e.reason)")
        }
    }

    @Test func damageIsListedAndTheIndexIsCachedWithIt() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = try Self.damagedVideo(in: dir)
        let first = try VideoFixtures.source(path, cache: cache).fileSummaries()
        #expect(!first[0].damaged.isEmpty)
        // A second source reads the cached index: same damage, no second decode needed to know it.
        let again = try VideoFixtures.source(path, cache: cache).fileSummaries()
        #expect(again == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(cache.path)/video-index").count == 1)
    }
}
