import Foundation
import Testing
@testable import DegradeRender

/// Shards rendered separately and merged with `degrade merge-index` equal one render of the whole set.
@Suite struct ShardMerge {
    static let clipCount = 7
    static let seed = 5

    @Test func threeShardsMergeIntoTheSingleRender() throws {
        let ref = try ReferenceRenders.clean(stills: Self.clipCount, seed: Self.seed)
        let dir = try RenderFixtures.tempDir("shards")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var parts: [String] = []
        var shardKeys: [[String]] = []
        for i in 1...3 {
            let part = "\(dir)/s\(i)"
            let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: "\(ref.inputs)/recipe.yaml", stills: "\(ref.inputs)/stills", out: part,
                                                                 seed: Self.seed, extra: ["--shard", "\(i)/3"]), logDir: dir)
            try #require(r.status == 0, "shard \(i): \(r.stderr)")
            parts.append(part)
            shardKeys.append(try RenderSnapshot(part).clips.map(\.key))
        }
        // Each shard renders a proper, non-empty part; together they cover every clip once.
        #expect(shardKeys.allSatisfy { !$0.isEmpty && $0.count < Self.clipCount })
        #expect(shardKeys.flatMap { $0 }.count == Self.clipCount)

        let merged = "\(dir)/M"
        let m = try DegradeCLI.run(["merge-index", "--out", merged] + parts, logDir: dir)
        try #require(m.status == 0, "\(m.stderr)")
        let got = try RenderSnapshot(merged), want = try RenderSnapshot(ref.out)
        #expect(got.files.keys.sorted() == want.files.keys.sorted())
        #expect(got.files["meta_info.txt"] == want.files["meta_info.txt"])
        #expect(got == want)
        try RenderSnapshot.checkCatalogMatchesDisk(merged)
        // The merged set reads back like any render.
        #expect(try RenderedSet(root: merged).keys == want.clips.map(\.key))
    }

    @Test func shardsOfDifferentSeedsAreRefused() throws {
        let ref = try ReferenceRenders.clean(stills: Self.clipCount, seed: Self.seed)
        let dir = try RenderFixtures.tempDir("seeds")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let other = "\(dir)/s2"
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: "\(ref.inputs)/recipe.yaml", stills: "\(ref.inputs)/stills", out: other,
                                                             seed: Self.seed + 1, extra: ["--shard", "2/3"]), logDir: dir)
        try #require(r.status == 0, "\(r.stderr)")

        let merged = "\(dir)/M"
        let m = try DegradeCLI.run(["merge-index", "--out", merged, ref.out, other], logDir: dir)
        #expect(m.status == 2)
        #expect(m.stderr.contains("seed \(Self.seed + 1)") && m.stderr.contains("seed \(Self.seed)"), "\(m.stderr)")
        #expect(m.stderr.contains(other) && m.stderr.contains(ref.out), "\(m.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(merged)/\(RenderCatalog.fileName)"))
        #expect(RenderSnapshot.allPaths(in: merged).isEmpty)
    }

    @Test func overlappingShardsAreRefused() throws {
        let ref = try ReferenceRenders.clean(stills: Self.clipCount, seed: Self.seed)
        let dir = try RenderFixtures.tempDir("overlap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try DegradeCLI.run(["merge-index", "--out", "\(dir)/M", ref.out, ref.out], logDir: dir)
        #expect(m.status == 2)
        #expect(m.stderr.contains("disjoint"), "\(m.stderr)")
        // Refused before anything is linked: --out is not even created.
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/M"), "\(RenderSnapshot.allPaths(in: "\(dir)/M"))")
    }

    /// The temporary index of an earlier merge that died is discarded, not reused.
    @Test func aStalePartialIndexDoesNotBlockTheMerge() throws {
        let ref = try ReferenceRenders.clean(stills: Self.clipCount, seed: Self.seed)
        let dir = try RenderFixtures.tempDir("stale")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let merged = "\(dir)/M"
        try FileManager.default.createDirectory(atPath: merged, withIntermediateDirectories: true)
        do {
            let stale = try RenderCatalog(path: "\(merged)/\(RenderCatalog.fileName).partial")
            try stale.setRun(try #require(try RenderCatalog(path: "\(ref.out)/\(RenderCatalog.fileName)", readOnly: true).run()))
        }
        let m = try DegradeCLI.run(["merge-index", "--out", merged, ref.out], logDir: dir)
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try RenderSnapshot(merged) == RenderSnapshot(ref.out))
        #expect(!FileManager.default.fileExists(atPath: "\(merged)/\(RenderCatalog.fileName).partial"))
    }
}
