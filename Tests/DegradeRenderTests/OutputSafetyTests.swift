import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// The output of `render`, `apply`, `preview` and `merge-index` may never be, hold, or lie inside what they
/// read; refused with exit 2 before anything is touched, whatever the spelling (relative, `..`, symlinks) and
/// whether or not `--force` is given.
@Suite struct OutputNeverOverlapsInput {
    @Test func renderApplyAndPreviewRefuseEveryOverlap() throws {
        let dir = try RenderFixtures.tempDir("overlap-input")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/alias", withDestinationPath: stills)
        let before = try RenderSnapshot.files(in: dir)
        let outs = [stills, "\(stills)/sub", dir, "\(dir)/alias", "\(dir)/alias/sub", "\(stills)/../stills", "\(dir)/alias/.."]
        for out in outs {
            for force in [false, true] {
                let f = force ? ["--force"] : []
                let pan = ["--input", stills, "--source", "pan", "--pan-frames", "6", "--pan-size", "48x40"]
                let commands: [[String]] = [
                    RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, extra: f),
                    ["apply", recipe] + pan + ["--out", out] + f,
                    ["preview", recipe] + pan + ["--samples", "1", "--out", out, "--quiet"] + f,
                ]
                for args in commands {
                    let r = try DegradeCLI.run(args, logDir: NSTemporaryDirectory())
                    #expect(r.status == 2, "\(args[0]) --out \(out) \(f): \(r.stderr)")
                    #expect(r.stderr.contains("input") || r.stderr.contains("recipe"), "\(args[0]) --out \(out): \(r.stderr)")
                }
            }
        }
        #expect(try RenderSnapshot.files(in: dir) == before, "a refused command changed the inputs")
    }

    @Test func mergeRefusesAnOutputAmongItsShards() throws {
        let ref = try ReferenceRenders.clean(stills: 3, seed: 2)
        let before = try RenderSnapshot.files(in: ref.out)
        for out in [ref.out, "\(ref.out)/merged", URL(fileURLWithPath: ref.out).deletingLastPathComponent().path] {
            let r = try DegradeCLI.run(["merge-index", "--out", out, ref.out], logDir: NSTemporaryDirectory())
            #expect(r.status == 2, "--out \(out): \(r.stderr)")
        }
        #expect(try RenderSnapshot.files(in: ref.out) == before)
    }
}

/// `--force` deletes only what an earlier render wrote, and only after every input and option was checked.
@Suite struct ForceDeletesOnlyWhatDegradeWrote {
    @Test func forceKeepsForeignFilesAndReplacesTheRender() throws {
        let dir = try RenderFixtures.tempDir("force-own")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 3, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/out"
        try #require(try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out), logDir: dir).status == 0)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: "\(out)/README.txt"))
        try FileManager.default.createDirectory(atPath: "\(out)/analysis", withIntermediateDirectories: true)
        try Data("plot".utf8).write(to: URL(fileURLWithPath: "\(out)/analysis/fig.svg"))

        // An input error after --force: nothing is deleted.
        let snapshot = try RenderSnapshot.files(in: out)
        for bad in [["--clips", "nope@pan"], ["--clips", "s01@pan,s01@pan"], ["--clips", ""]] {
            let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, seed: 8, extra: ["--force"] + bad), logDir: dir)
            #expect(r.status == 2, "\(bad): \(r.stderr)")
            #expect(try RenderSnapshot.files(in: out) == snapshot, "\(bad): --force deleted before validating")
        }
        let missing = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: "\(dir)/nowhere", out: out, seed: 8, extra: ["--force"]),
                                         logDir: dir)
        #expect(missing.status == 2)
        #expect(try RenderSnapshot.files(in: out) == snapshot)

        // A valid --force run replaces the render and keeps the rest.
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, seed: 8, extra: ["--force"]), logDir: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: "\(out)/README.txt", encoding: .utf8) == "notes")
        #expect(FileManager.default.fileExists(atPath: "\(out)/analysis/fig.svg"))
        #expect(try RenderCatalog(path: "\(out)/\(RenderCatalog.fileName)", readOnly: true).run()?.seed == 8)
        try RenderSnapshot.checkCatalogMatchesDisk(out)
    }

    @Test func aForeignFileInAClipFolderStopsForceBeforeAnythingIsDeleted() throws {
        let dir = try RenderFixtures.tempDir("force-clipdir")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/out"
        try #require(try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out), logDir: dir).status == 0)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: "\(out)/lq/s01@pan/annotations.json"))
        let snapshot = try RenderSnapshot.files(in: out)
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out, seed: 9, extra: ["--force"]), logDir: dir)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("annotations.json"), "\(r.stderr)")
        #expect(try RenderSnapshot.files(in: out) == snapshot)
    }
}

/// Resume checks the disk, not only the catalog: missing, resized or (with --verify) changed frames are rendered
/// again, and the set ends equal to a clean render.
@Suite struct ResumeVerifiesTheDisk {
    static func brokenCopy(_ label: String) throws -> (dir: String, out: String, args: [String], ref: String) {
        let ref = try ReferenceRenders.clean(stills: 4, seed: 3)
        let dir = try RenderFixtures.tempDir(label)
        let out = "\(dir)/out"
        let args = RenderFixtures.renderArgs(recipe: "\(ref.inputs)/recipe.yaml", stills: "\(ref.inputs)/stills", out: out, seed: 3)
        let r = try DegradeCLI.run(args, logDir: dir)
        try #require(r.status == 0, "\(r.stderr)")
        return (dir, out, args, ref.out)
    }

    @Test(arguments: ["delete-frame", "delete-clip", "truncate-frame", "delete-gt-clip", "meta-info"])
    func damageIsFoundAndRepaired(damage: String) throws {
        let c = try Self.brokenCopy("resume-\(damage)")
        defer { try? FileManager.default.removeItem(atPath: c.dir) }
        let fm = FileManager.default
        switch damage {
        case "delete-frame": try fm.removeItem(atPath: "\(c.out)/lq/s02@pan/00000001.png")
        case "delete-clip": try fm.removeItem(atPath: "\(c.out)/lq/s03@pan")
        case "truncate-frame":
            let p = "\(c.out)/gt/s01@pan/00000002.png"
            try Data(try Data(contentsOf: URL(fileURLWithPath: p)).prefix(100)).write(to: URL(fileURLWithPath: p))
        case "delete-gt-clip": try fm.removeItem(atPath: "\(c.out)/gt/s04@pan")
        default: try Data("000 1 (1,1,3)\n".utf8).write(to: URL(fileURLWithPath: "\(c.out)/meta_info.txt"))
        }
        let v = try DegradeCLI.run(["verify", c.out], logDir: c.dir)
        #expect(v.status == 1, "verify accepted a damaged set: \(v.stdout) \(v.stderr)")
        let r = try DegradeCLI.run(c.args, logDir: c.dir)
        #expect(r.status == 0, "\(r.stderr)")
        if damage != "meta-info" { #expect(r.stderr.contains("rendered again"), "\(r.stderr)") }
        #expect(try RenderSnapshot(c.out) == RenderSnapshot(c.ref))
        #expect(try DegradeCLI.run(["verify", c.out], logDir: c.dir).status == 0)
    }

    /// A same-size edit is only visible to checksums: `--verify` on resume (and `degrade verify`) find it.
    @Test func anEditedFrameIsFoundByChecksum() throws {
        let c = try Self.brokenCopy("resume-edit")
        defer { try? FileManager.default.removeItem(atPath: c.dir) }
        let p = "\(c.out)/lq/s02@pan/00000003.png"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
        bytes[bytes.count / 2] ^= 0x55
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        let quick = try DegradeCLI.run(["verify", "--quick", c.out], logDir: c.dir)
        #expect(quick.status == 0, "sizes are unchanged: \(quick.stderr)")
        let full = try DegradeCLI.run(["verify", c.out], logDir: c.dir)
        #expect(full.status == 1 && full.stderr.contains("s02@pan") && full.stderr.contains("checksum"), "\(full.stderr)")
        let r = try DegradeCLI.run(c.args + ["--verify"], logDir: c.dir)
        #expect(r.status == 0 && r.stderr.contains("1 clip(s)"), "\(r.stderr)")
        #expect(try RenderSnapshot(c.out) == RenderSnapshot(c.ref))
    }

    /// A catalog that lost a table, or is not a database at all, is refused naming the file and the way out.
    @Test(arguments: ["drop-frames", "garbage", "truncate"])
    func aDamagedCatalogIsRefusedWithARecoveryHint(damage: String) throws {
        let c = try Self.brokenCopy("catalog-\(damage)")
        defer { try? FileManager.default.removeItem(atPath: c.dir) }
        let index = "\(c.out)/\(RenderCatalog.fileName)"
        switch damage {
        case "drop-frames": try SQLiteDatabase(path: index).execute("DROP TABLE frames")
        case "garbage": try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: index))
        default:
            let data = try Data(contentsOf: URL(fileURLWithPath: index))
            try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: index))
        }
        let meta = try Data(contentsOf: URL(fileURLWithPath: "\(c.out)/meta_info.txt"))
        for args in [c.args, ["verify", c.out], ["audit", "\(c.ref)/../recipe.yaml", "--samples", "50", "--against", c.out, "--out", "\(c.dir)/audit"]] {
            let r = try DegradeCLI.run(args, logDir: c.dir)
            #expect(r.status == 2, "\(args[0]) \(damage): \(r.stderr)")
            #expect(r.stderr.contains(index) || r.stderr.contains(c.out), "\(r.stderr)")
            #expect(!r.stderr.contains("NSCocoaErrorDomain"), "\(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(c.out)/meta_info.txt")) == meta, "meta_info.txt was rewritten from a broken catalog")
    }
}

/// `merge-index` takes only a complete, consistent set of finished, intact shards (or, with --allow-partial,
/// marks the merged index partial).
@Suite struct MergeChecksCompleteness {
    static func shards(_ label: String, count: Int, render indices: [Int]) throws -> (dir: String, parts: [String], inputs: String) {
        let ref = try ReferenceRenders.clean(stills: 5, seed: 4)
        let dir = try RenderFixtures.tempDir(label)
        var parts: [String] = []
        for i in indices {
            let part = "\(dir)/s\(i)of\(count)"
            let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: "\(ref.inputs)/recipe.yaml", stills: "\(ref.inputs)/stills", out: part,
                                                                 seed: 4, extra: ["--shard", "\(i)/\(count)"]), logDir: dir)
            try #require(r.status == 0, "\(r.stderr)")
            parts.append(part)
        }
        return (dir, parts, ref.inputs)
    }

    @Test func aMissingShardIsRefusedUnlessPartialIsAllowed() throws {
        let s = try Self.shards("merge-missing", count: 3, render: [1, 3])
        defer { try? FileManager.default.removeItem(atPath: s.dir) }
        let m = try DegradeCLI.run(["merge-index", "--out", "\(s.dir)/M"] + s.parts, logDir: s.dir)
        #expect(m.status == 2 && m.stderr.contains("2/3"), "\(m.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(s.dir)/M"))
        let p = try DegradeCLI.run(["merge-index", "--allow-partial", "--out", "\(s.dir)/P"] + s.parts, logDir: s.dir)
        #expect(p.status == 0, "\(p.stderr)")
        #expect(try RenderCatalog(path: "\(s.dir)/P/\(RenderCatalog.fileName)", readOnly: true).run()?.partial == true)
        let v = try DegradeCLI.run(["verify", "\(s.dir)/P"], logDir: s.dir)
        #expect(v.status == 1 && v.stderr.contains("partial"), "\(v.stderr)")
    }

    @Test func mixedSplitsAndRepeatedShardsAreRefused() throws {
        let a = try Self.shards("merge-mixed", count: 2, render: [1])
        defer { try? FileManager.default.removeItem(atPath: a.dir) }
        let b = try Self.shards("merge-mixed-b", count: 3, render: [2, 3])
        defer { try? FileManager.default.removeItem(atPath: b.dir) }
        let mixed = try DegradeCLI.run(["merge-index", "--out", "\(a.dir)/M"] + a.parts + b.parts, logDir: a.dir)
        #expect(mixed.status == 2 && mixed.stderr.contains("same --shard"), "\(mixed.stderr)")
        // The same shard rendered twice into two folders.
        let again = try Self.shards("merge-twice", count: 3, render: [2])
        defer { try? FileManager.default.removeItem(atPath: again.dir) }
        let twice = try DegradeCLI.run(["merge-index", "--out", "\(a.dir)/T"] + b.parts + again.parts, logDir: a.dir)
        #expect(twice.status == 2 && twice.stderr.contains("both shard 2/3"), "\(twice.stderr)")
    }

    @Test func anUnfinishedOrDamagedShardIsRefused() throws {
        let s = try Self.shards("merge-unfinished", count: 2, render: [1, 2])
        defer { try? FileManager.default.removeItem(atPath: s.dir) }
        // Unfinished: a shard whose catalog lacks a clip its run expected (what a kill mid-render leaves).
        let catalog = try RenderCatalog(path: "\(s.parts[0])/\(RenderCatalog.fileName)")
        let key = try #require(try catalog.doneKeys().sorted().first)
        try catalog.forget([key])
        let m = try DegradeCLI.run(["merge-index", "--out", "\(s.dir)/M"] + s.parts, logDir: s.dir)
        #expect(m.status == 2 && m.stderr.contains("unfinished"), "\(m.stderr)")
        // Finished again by its own render command, then one frame of the other shard edited.
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: "\(s.inputs)/recipe.yaml", stills: "\(s.inputs)/stills", out: s.parts[0],
                                                             seed: 4, extra: ["--shard", "1/2"]), logDir: s.dir)
        #expect(r.status == 0, "\(r.stderr)")
        let frame = try #require(RenderSnapshot.allPaths(in: "\(s.parts[1])/lq").first { $0.hasSuffix(".png") })
        let p = "\(s.parts[1])/lq/\(frame)"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        let edited = try DegradeCLI.run(["merge-index", "--verify", "--out", "\(s.dir)/E"] + s.parts, logDir: s.dir)
        #expect(edited.status == 2 && edited.stderr.contains("checksum"), "\(edited.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(s.dir)/E"))
    }

    /// A shard's split is part of its identity: `--shard 1/3` then `--shard 2/2` into one folder is refused.
    @Test func anotherSplitIntoTheSameFolderIsRefused() throws {
        let s = try Self.shards("merge-split", count: 3, render: [1])
        defer { try? FileManager.default.removeItem(atPath: s.dir) }
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: "\(s.inputs)/recipe.yaml", stills: "\(s.inputs)/stills", out: s.parts[0],
                                                             seed: 4, extra: ["--shard", "2/2"]), logDir: s.dir)
        #expect(r.status == 2 && r.stderr.contains("--shard 2/2"), "\(r.stderr)")
    }
}

/// A catalog whose clip rows were deleted while their frame rows stayed is resumed by rendering those clips again.
@Suite struct OrphanFrameRows {
    @Test func clipRowsDeletedWithoutTheirFramesAreRenderedAgain() throws {
        let ref = try ReferenceRenders.clean(stills: 3, seed: 6)
        let dir = try RenderFixtures.tempDir("orphans")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = "\(dir)/out"
        let args = RenderFixtures.renderArgs(recipe: "\(ref.inputs)/recipe.yaml", stills: "\(ref.inputs)/stills", out: out, seed: 6)
        try #require(try DegradeCLI.run(args, logDir: dir).status == 0)
        let db = try SQLiteDatabase(path: "\(out)/\(RenderCatalog.fileName)")
        try db.execute("PRAGMA foreign_keys=OFF; DELETE FROM clips WHERE key = 's02@pan'")
        let r = try DegradeCLI.run(args, logDir: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try RenderSnapshot(out) == RenderSnapshot(ref.out))
    }
}

/// Write failures (a read-only file system, a full disk) are reported in plain words naming the path, exit 1, and
/// leave no staging folder behind. Needs root to mount small tmpfs file systems; elsewhere it says so and stops.
@Suite(.serialized) struct WriteFailures {
    static func mount(_ point: String, options: String) -> Bool {
        try? FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", options, "tmpfs", point]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    static func unmount(_ point: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/umount")
        p.arguments = [point]
        try? p.run()
        p.waitUntilExit()
    }

    @Test func readOnlyAndFullFileSystemsAreReportedPlainly() throws {
        let dir = try RenderFixtures.tempDir("write-failures")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 3, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let ro = "\(dir)/ro", full = "\(dir)/full"
        guard Self.mount(ro, options: "ro,size=64k") else {
            print("WriteFailures: skipped, this process cannot mount tmpfs (not root?)")
            return
        }
        defer { Self.unmount(ro) }
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: "\(ro)/set"), logDir: dir)
        #expect(r.status == 1 && r.stderr.contains("\(ro)/set") && r.stderr.contains("Read-only file system"), "\(r.stderr)")
        #expect(!r.stderr.contains("NSCocoaErrorDomain"))

        // Room for the catalog but not for the frames; then a disk too full for the catalog itself.
        try #require(Self.mount(full, options: "size=160k"))
        defer { Self.unmount(full) }
        let f = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: "\(full)/set"), logDir: dir)
        #expect(f.status == 1 && f.stderr.contains("No space left on device"), "\(f.stderr)")
        #expect(!f.stderr.contains("NSCocoaErrorDomain"))
        #expect(RenderSnapshot.allPaths(in: full).filter { $0.contains(".partial-") || $0.hasSuffix(".tmp") }.isEmpty,
                "\(RenderSnapshot.allPaths(in: full))")
        Self.unmount(full)
        try #require(Self.mount(full, options: "size=12k"))
        let tiny = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: "\(full)/set"), logDir: dir)
        #expect(tiny.status == 1 && tiny.stderr.contains("disk full or read-only"), "\(tiny.stderr)")
    }
}
