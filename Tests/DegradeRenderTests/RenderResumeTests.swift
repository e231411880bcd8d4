import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// `degrade render` killed with SIGKILL part-way and run again ends with the same set as a clean run.
@Suite(.serialized) struct RenderResumeAfterKill {
    static let clipCount = 12
    static let seed = 11

    /// Clips committed to the catalog so far, read through a separate read-only connection (0 while the
    /// catalog does not exist yet).
    static func committed(_ out: String) -> Int {
        guard FileManager.default.fileExists(atPath: "\(out)/\(RenderCatalog.fileName)"),
              let db = try? SQLiteDatabase(path: "\(out)/\(RenderCatalog.fileName)", readOnly: true),
              let n = try? db.rows("SELECT count(*) FROM clips").first?[0].int else { return 0 }
        return Int(n)
    }

    /// Runs the render with its kill switch set to `at` committed clips (it SIGKILLs itself right after that
    /// commit, while any other worker is part-way through a clip) and returns the number committed.
    static func renderAndKill(_ args: [String], out: String, at: Int, logDir: String) throws -> Int {
        let (process, _, _) = try DegradeCLI.start(args, logDir: logDir, environment: [RenderKillSwitch.killVariable: "\(at)"])
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
                "the render was to kill itself at \(at) clips; it ended with status \(process.terminationStatus)")
        return committed(out)
    }

    /// What a kill at a less likely moment leaves, planted so every run sees it: a clip renamed into place
    /// but not yet committed (with wrong bytes), and another writer's staging folder with a half-written file.
    static func plantKillDebris(_ out: String) throws {
        let done = try RenderCatalog(path: "\(out)/\(RenderCatalog.fileName)", readOnly: true).doneKeys()
        let pending = (1...clipCount).map { String(format: "s%02d@pan", $0) }.filter { !done.contains($0) }
        let fm = FileManager.default
        let visible = "\(out)/lq/\(try #require(pending.last))"
        try fm.createDirectory(atPath: visible, withIntermediateDirectories: true)
        try Data("not a frame".utf8).write(to: URL(fileURLWithPath: "\(visible)/00000000.png"))
        let staging = "\(out)/gt/.partial-\(try #require(pending.first))-999999"
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: "\(staging)/.00000001.png.999999.1.tmp"))
    }

    static func leftovers(_ out: String) -> [String] {
        RenderSnapshot.allPaths(in: out).filter { $0.split(separator: "/").contains { $0.hasPrefix(".partial-") || $0.hasSuffix(".tmp") } }
    }

    /// `kills` lists the commit counts at which successive runs are killed; the last run is left to finish.
    @Test(arguments: [[1], [6], [3, 9]])
    func killedRenderResumesToTheCleanResult(kills: [Int]) throws {
        let ref = try ReferenceRenders.clean(stills: Self.clipCount, seed: Self.seed)
        let dir = try RenderFixtures.tempDir("kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = "\(dir)/out"
        let args = RenderFixtures.renderArgs(recipe: "\(ref.inputs)/recipe.yaml", stills: "\(ref.inputs)/stills", out: out, seed: Self.seed)

        var killedAt: [Int] = []
        for at in kills { killedAt.append(try Self.renderAndKill(args, out: out, at: at, logDir: dir)) }
        // Some, but not all, clips were committed when the last kill landed.
        let last = try #require(killedAt.last)
        #expect(killedAt == kills, "killed after \(killedAt) of \(Self.clipCount) clips")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/meta_info.txt"))
        try Self.plantKillDebris(out)

        let resumed = try DegradeCLI.run(args, logDir: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("(\(last) already done"), "\(resumed.stdout)")

        #expect(Self.leftovers(out) == [])
        let got = try RenderSnapshot(out), want = try RenderSnapshot(ref.out)
        #expect(got.clips.map(\.key) == want.clips.map(\.key))
        #expect(got.clips.count == Self.clipCount)
        #expect(got.files.keys.sorted() == want.files.keys.sorted())
        for (path, bytes) in want.files where got.files[path] != bytes { Issue.record("\(path) differs from the clean render") }
        #expect(got == want)
        try RenderSnapshot.checkCatalogMatchesDisk(out)
    }

    /// A run killed while two clips render concurrently resumes to the same bytes as well.
    @Test func killedParallelRenderResumesToTheCleanResult() throws {
        let ref = try ReferenceRenders.clean(stills: Self.clipCount, seed: Self.seed)
        let dir = try RenderFixtures.tempDir("killjobs")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = "\(dir)/out"
        let args = RenderFixtures.renderArgs(recipe: "\(ref.inputs)/recipe.yaml", stills: "\(ref.inputs)/stills", out: out,
                                             seed: Self.seed, jobs: 2)
        let n = try Self.renderAndKill(args, out: out, at: 4, logDir: dir)
        #expect(n == 4)
        let resumed = try DegradeCLI.run(args, logDir: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(Self.leftovers(out) == [])
        #expect(try RenderSnapshot(out) == RenderSnapshot(ref.out))
    }

    /// Running a finished render again changes nothing and renders nothing.
    @Test func rerunningAFinishedRenderIsANoOp() throws {
        let ref = try ReferenceRenders.clean(stills: Self.clipCount, seed: Self.seed)
        let dir = try RenderFixtures.tempDir("rerun")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = "\(dir)/out"
        let args = RenderFixtures.renderArgs(recipe: "\(ref.inputs)/recipe.yaml", stills: "\(ref.inputs)/stills", out: out, seed: Self.seed)
        #expect(try DegradeCLI.run(args, logDir: dir).status == 0)
        let before = try RenderSnapshot.files(in: out).filter { !$0.key.hasPrefix(RenderCatalog.fileName) }
        let again = try DegradeCLI.run(args, logDir: dir)
        #expect(again.status == 0)
        #expect(again.stdout.contains("rendered 0 clips (\(Self.clipCount) already done"), "\(again.stdout)")
        #expect(try RenderSnapshot.files(in: out).filter { !$0.key.hasPrefix(RenderCatalog.fileName) } == before)
    }

    /// A run killed while it wrote meta_info.txt (after every clip was committed) leaves the write's temp file;
    /// the next run, finding nothing to render, still removes it and rewrites meta_info.
    @Test func aMetaInfoTempFileOfAKilledRunIsRemovedOnResume() throws {
        let ref = try ReferenceRenders.clean(stills: Self.clipCount, seed: Self.seed)
        let dir = try RenderFixtures.tempDir("meta-tmp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = "\(dir)/out"
        let args = RenderFixtures.renderArgs(recipe: "\(ref.inputs)/recipe.yaml", stills: "\(ref.inputs)/stills", out: out, seed: Self.seed)
        #expect(try DegradeCLI.run(args, logDir: dir).status == 0)
        try "000 3 (8,8,3)\n".write(toFile: "\(out)/.meta_info.txt.99999.12345.tmp", atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: "\(out)/meta_info.txt")
        #expect(Self.leftovers(out) == [".meta_info.txt.99999.12345.tmp"])
        let again = try DegradeCLI.run(args, logDir: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(Self.leftovers(out) == [])
        #expect(try RenderSnapshot(out) == RenderSnapshot(ref.out))
    }
}
