import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// `render --source-cache`: samples of one clip share decoded source frames, and the set is byte for byte the one
/// a render that decodes every frame anew writes, with one job or several.
@Suite struct SourceFrameCacheInRender {
    static func render(source: String, out: String, cacheBytes: Int, jobs: Int) throws -> RenderJob.Summary {
        let spec = ClipSourceSpec(kind: .reds, path: source)
        var job = RenderJob(recipe: try RenderFixtures.recipe(RenderFixtures.recipeYAML(frames: 4, crop: 24)), seed: 3, sourceSpec: spec,
                            out: out, selection: SampleSelection(repeatCount: 3), jobs: jobs)
        job.sourceCacheBytes = cacheBytes
        return try job.run()
    }

    /// The set's files without the catalog (which records timings) and the lock.
    static func setFiles(_ root: String) throws -> [String: Data] {
        try RenderSnapshot.files(in: root).filter { !$0.key.hasPrefix(RenderCatalog.fileName) && $0.key != OutputLock.fileName }
    }

    @Test func cachedAndUncachedRendersWriteTheSameSet() throws {
        let dir = try RenderFixtures.tempDir("sourcecache")
        let source = try RenderFixtures.redsFolder(clips: ["a", "b"], frames: 6, in: dir)
        let plain = try Self.render(source: source, out: "\(dir)/plain", cacheBytes: 0, jobs: 1)
        let cached = try Self.render(source: source, out: "\(dir)/cached", cacheBytes: 64 << 20, jobs: 1)
        let parallel = try Self.render(source: source, out: "\(dir)/parallel", cacheBytes: 64 << 20, jobs: 2)
        #expect(plain.sourceFramesReused == 0 && plain.sourceFramesDecoded == 0)
        // 2 clips × 3 variants × 4 frames read; each clip's 6 frames decoded at least once, the rest mostly reused.
        #expect(cached.sourceFramesReused + cached.sourceFramesDecoded == 24)
        #expect(cached.sourceFramesReused > 0)
        let expected = try Self.setFiles("\(dir)/plain")
        #expect(expected.count > 0)
        #expect(try Self.setFiles("\(dir)/cached") == expected)
        #expect(try Self.setFiles("\(dir)/parallel") == expected)
        try RenderSnapshot.checkCatalogMatchesDisk("\(dir)/cached")
    }

    @Test func samplesOfAClipAreRenderedOneAfterAnother() throws {
        let clips = ["a", "a!b", "b"].map { ClipInfo(key: $0, frameCount: 4, width: 8, height: 8, origin: "") }
        let samples = try SampleSelection(repeatCount: 2).samples(from: clips)
        // Key order puts `a!b` between `a` and `a#1` ('!' sorts before '#').
        #expect(samples.map(\.key) == ["a", "a!b", "a!b#1", "a#1", "b", "b#1"])
        #expect(RenderJob.groupedByClip(samples).map(\.key) == ["a", "a#1", "a!b", "a!b#1", "b", "b#1"])
    }
}
