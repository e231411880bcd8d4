import Foundation
import Synchronization
import Testing
@testable import DegradeMedia

/// A video that changes while degrade reads it: replaced, truncated, or growing during indexing. Each gives the new
/// file's frames or an error naming the file — never a stale index, a crash or a hang.
@Suite struct VideoFileChange {
    @Test func aReplacedFileIsIndexedAgainByTheSameSource() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = "\(dir.path)/clip.mp4"
        try VideoFixtures.write(path, frames: 30, settings: VideoFixtures.x264(gop: 6))
        let source = try VideoFixtures.source(path, cache: cache)
        #expect(try source.clips().map(\.frameCount) == [30])
        try VideoFixtures.write(path, frames: 45, settings: VideoFixtures.x264(gop: 6))
        #expect(try source.clips().map(\.frameCount) == [45])
        let tail = try source.frames(of: "clip.mp4", range: 40..<45)
        #expect(tail.map { VideoFixtures.frameNumber($0) } == Array(40..<45))
    }

    @Test func aFileTruncatedAfterIndexingIsAnErrorNamingIt() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = "\(dir.path)/clip.mkv"
        try VideoFixtures.write(path, frames: 40, settings: VideoFixtures.x264(gop: 8))
        let source = try VideoFixtures.source(path, cache: cache)
        _ = try source.clips()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        do {
            // Either the shortened file is indexed again (fewer frames: the window is out of range) or it fails to read.
            _ = try source.frames(of: "clip.mkv", range: 30..<36)
            Issue.record("a window past the end of the truncated file was read")
        } catch let e as MediaError {
            #expect(e.path.hasSuffix("clip.mkv") || e.path == "clip.mkv", "\(e)")
        }
    }

    @Test func aFileGrowingWhileIndexedGivesAConsistentIndexOrAClearError() throws {
        let dir = ScratchDir(), cache = ScratchDir()
        let path = "\(dir.path)/growing.mkv"
        try VideoFixtures.write(path, frames: 60, settings: VideoFixtures.x264(gop: 12))
        let done = Atomic<Bool>(false)
        let appender = Thread {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            defer { try? handle.close() }
            // Bounded: at most 400 appends of 4 KiB, stopping as soon as the reader is done.
            for k in 0..<400 where !done.load(ordering: .relaxed) {
                handle.seekToEndOfFile()
                handle.write(Data(repeating: UInt8(k & 0xFF), count: 4096))
                usleep(200)
            }
        }
        appender.start()
        defer { done.store(true, ordering: .relaxed) }
        do {
            let source = try VideoFixtures.source(path, cache: cache)
            let clips = try source.clips()
            let frames = try source.frames(of: clips[0].key, range: 50..<55)
            #expect(frames.map { VideoFixtures.frameNumber($0) } == Array(50..<55))
        } catch let e as MediaError {
            #expect(e.path.hasSuffix("growing.mkv"), "\(e)")
            #expect(e.reason.contains("changed while it was read") || e.reason.contains("damaged") || e.reason.contains("read"), "\(e.reason)")
        }
    }
}
