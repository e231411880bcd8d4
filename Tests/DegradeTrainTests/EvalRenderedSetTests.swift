import Foundation
import Testing
@testable import DegradeTrain

/// `degrade eval --set` scores a rendered set through its catalog: `--repeat` variants (each in its own root) give
/// one row per sample key with the same figures as `--lq/--gt` on that variant's folders.
@Suite("eval of a rendered set", .serialized)
struct EvalRenderedSetTests {
    struct Table: Decodable {
        struct Row: Decodable {
            struct S: Decodable { var psnr: Double }
            var clip: String
            var frames: Int
            var bicubic: S
        }
        var rows: [Row]
        var scale: Int
    }

    @Test("--set over two --repeat variants equals --lq/--gt on each variant's folders")
    func setEqualsFolders() throws {
        guard TrainCommandSafetyTests.built else { return }
        let (_, base) = try TrainCommandSafetyTests.workspace("eval-set")
        let out = "\(base)/set"
        let render = try TrainCommandSafetyTests.degrade(["render", "\(base)/x4.yaml", "--input", "\(base)/stills",
                                                          "--source", "pan", "--pan-size", "80x72", "--pan-frames", "4",
                                                          "--repeat", "2", "--seed", "3", "--out", out])
        try #require(render.status == 0, "\(render.stderr)")
        let r = try TrainCommandSafetyTests.degrade(["eval", "--bicubic", "--set", out, "--crop-border", "2", "--json"])
        try #require(r.status == 0, "\(r.stderr)")
        let table = try JSONDecoder().decode(Table.self, from: Data(r.stdout.utf8))
        #expect(table.rows.count == 4 && table.scale == 4, "\(r.stdout)")
        var fromFolders: [Double] = []
        for v in 0..<2 {
            let f = try TrainCommandSafetyTests.degrade(["eval", "--bicubic", "--lq", "\(out)/variant-\(v)/lq",
                                                         "--gt", "\(out)/variant-\(v)/gt", "--crop-border", "2", "--json"])
            try #require(f.status == 0, "\(f.stderr)")
            fromFolders += try JSONDecoder().decode(Table.self, from: Data(f.stdout.utf8)).rows.map(\.bicubic.psnr)
        }
        #expect(table.rows.map(\.bicubic.psnr).sorted() == fromFolders.sorted())
        #expect(Set(table.rows.map(\.clip)).count == 4 && table.rows.allSatisfy { $0.frames == 4 })
    }

    @Test("--set without a catalog, or with --gt: exit 2 naming the problem")
    func badUse() throws {
        guard TrainCommandSafetyTests.built else { return }
        let dir = try TrainFixtures.tempDir("eval-set-bad")
        let missing = try TrainCommandSafetyTests.degrade(["eval", "--bicubic", "--set", dir])
        #expect(missing.status == 2 && missing.stderr.contains(dir) && missing.stderr.contains("index.sqlite"),
                "\(missing.stderr)")
        let both = try TrainCommandSafetyTests.degrade(["eval", "--bicubic", "--set", dir, "--gt", dir])
        #expect(both.status != 0 && both.stderr.contains("--gt"), "\(both.stderr)")
        let neither = try TrainCommandSafetyTests.degrade(["eval", "--bicubic"])
        #expect(neither.status != 0 && neither.stderr.contains("--set"), "\(neither.stderr)")
    }
}
