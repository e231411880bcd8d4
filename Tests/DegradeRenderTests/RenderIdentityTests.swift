import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// A set belongs to one run: its input clips (by fingerprint, not path), options and shard are recorded, and one
/// process at a time writes it.
@Suite struct RenderIdentity {
    @Test func anotherInputIsRefusedButTheSameClipsElsewhereResume() throws {
        let dir = try RenderFixtures.tempDir("identity-source")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 3, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/out"
        try #require(try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out), logDir: dir).status == 0)
        let before = try RenderSnapshot.files(in: out)

        // Another input: one more clip.
        let other = "\(dir)/other"
        _ = try RenderFixtures.stillsFolder(count: 4, in: other)
        let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: "\(other)/stills", out: out), logDir: dir)
        #expect(r.status == 2 && r.stderr.contains("input clips"), "\(r.stderr)")
        #expect(try RenderSnapshot.files(in: out) == before)

        // The same clips mounted elsewhere (a cluster node): accepted, nothing to do.
        let moved = "\(dir)/mounted/elsewhere"
        try FileManager.default.createDirectory(atPath: "\(dir)/mounted", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: stills, toPath: moved)
        let same = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: moved, out: out), logDir: dir)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("rendered 0 clips (3 already done"), "\(same.stdout)")
    }

    /// Whether the process is stopped by a signal (state `T` in /proc/PID/stat).
    static func isStopped(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[close...].dropFirst(2).first == "T"
    }

    @Test func aSecondWriterIsRefusedAndAKilledOneDoesNotBlock() throws {
        let dir = try RenderFixtures.tempDir("identity-lock")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 24, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/out"
        let args = RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out)
        // The first run stops itself after 3 clips, holding the lock (a poller racing it could lose on a busy machine).
        let (first, _, _) = try DegradeCLI.start(args, logDir: dir, environment: [RenderKillSwitch.stopVariable: "3"])
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(120)
        while first.isRunning && !Self.isStopped(first.processIdentifier) && Date() < deadline { usleep(2000) }
        try #require(first.isRunning && Self.isStopped(first.processIdentifier), "the first render did not stop itself after 3 clips")
        let second = try DegradeCLI.run(args, logDir: dir)
        #expect(second.status == 2, "\(second.stderr)")
        #expect(second.stderr.contains("another degrade process is writing") && second.stderr.contains("pid \(first.processIdentifier)"), "\(second.stderr)")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        // The kernel dropped the dead process's lock: the same command resumes and finishes.
        let resumed = try DegradeCLI.run(args, logDir: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try RenderedSet(root: out).keys.count == 24)
        #expect(!FileManager.default.fileExists(atPath: "\(out)/\(OutputLock.fileName)"), "a finished run leaves no lock file")
    }

    /// A run that fails before finishing a clip leaves no run record (and, in a folder it created, nothing), so the
    /// corrected command is not refused as "another render".
    @Test func aFailedFirstRunLeavesNothingBehind() throws {
        let dir = try RenderFixtures.tempDir("identity-failed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        // A 64-px crop from 48×40 pans fails at the first clip.
        let big = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(crop: 64), in: dir, name: "big.yaml")
        let out = "\(dir)/out"
        let bad = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: big, stills: stills, out: out), logDir: dir)
        #expect(bad.status == 2, "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "\(RenderSnapshot.allPaths(in: out))")
        // Into an existing empty folder: the folder stays, with no record in it.
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        #expect(try DegradeCLI.run(RenderFixtures.renderArgs(recipe: big, stills: stills, out: out), logDir: dir).status == 2)
        if FileManager.default.fileExists(atPath: "\(out)/\(RenderCatalog.fileName)") {
            #expect(try RenderCatalog(path: "\(out)/\(RenderCatalog.fileName)", readOnly: true).run() == nil)
        }
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let good = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out), logDir: dir)
        #expect(good.status == 0, "\(good.stderr)")
    }

    @Test func theSeedIsStoredAsItsDecimalValue() throws {
        let dir = try RenderFixtures.tempDir("identity-seed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stills = try RenderFixtures.stillsFolder(count: 1, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let out = "\(dir)/out"
        var args = RenderFixtures.renderArgs(recipe: recipe, stills: stills, out: out)
        args[args.firstIndex(of: "--seed")! + 1] = "18446744073709551615"
        #expect(try DegradeCLI.run(args, logDir: dir).status == 0)
        let db = try SQLiteDatabase(path: "\(out)/\(RenderCatalog.fileName)", readOnly: true)
        #expect(try db.rows("SELECT seed FROM run").first?[0] == .text("18446744073709551615"))
        #expect(try db.rows("PRAGMA user_version").first?[0] == .int(Int64(RenderCatalog.schemaVersion)))
        #expect(try RenderCatalog(path: "\(out)/\(RenderCatalog.fileName)", readOnly: true).run()?.seed == UInt64.max)
    }
}

/// Keys and selections that would break the set's layout or `meta_info.txt` are refused, naming the culprit.
@Suite struct RenderSelectionErrors {
    @Test func duplicatesEmptyListsAndBadNumbersAreRefused() throws {
        let dir = try RenderFixtures.tempDir("select-errors")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = try RenderFixtures.redsFolder(clips: ["000", "001"], frames: 4, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let meta = "\(dir)/meta.txt"
        try Data("000 4 (36,40,3)\n001 4 (36,40,3)\n000 4 (36,40,3)\n".utf8).write(to: URL(fileURLWithPath: meta))
        let base = ["render", recipe, "--input", root, "--source", "reds", "--out", "\(dir)/out", "--quiet"]
        let cases: [([String], String)] = [
            (["--clips", "000,000"], "`000` twice"),
            (["--clips", "000,001,001"], "`001` twice"),
            (["--clips", ""], "names no clip"),
            (["--clips", "000,"], "--clips names ``"),
            (["--meta-info", meta], "meta.txt:3"),
            (["--frames", "-1"], "--frames"),
            (["--frames", "0"], "--frames"),
            (["--repeat", "-3"], "--repeat"),
            (["--shard", "0/2"], "--shard"),
            (["--shard", "3/2"], "--shard"),
        ]
        for (extra, expected) in cases {
            let r = try DegradeCLI.run(base + extra, logDir: dir)
            #expect(r.status == 2, "\(extra): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/out"), "\(extra) wrote \(RenderSnapshot.allPaths(in: "\(dir)/out"))")
        }
    }

    @Test(arguments: ["a\nb", "tab\there", "sp ace", "bell\u{07}", "del\u{7f}"])
    func keysWithControlCharactersOrSpacesAreRefused(key: String) throws {
        let dir = try RenderFixtures.tempDir("select-keys")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = try RenderFixtures.redsFolder(clips: ["000", key], frames: 4, in: dir)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let r = try DegradeCLI.run(["render", recipe, "--input", root, "--source", "reds", "--out", "\(dir)/out", "--quiet"], logDir: dir)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("cannot be used as a folder name"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out"))
    }
}

/// Catalogs of schema 1 (written before `user_version`) still read, and are migrated when written to.
@Suite struct CatalogMigration {
    @Test func aSchemaOneCatalogReadsAndMigrates() throws {
        let dir = try RenderFixtures.tempDir("migrate")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/\(RenderCatalog.fileName)"
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute("""
                CREATE TABLE run (id INTEGER PRIMARY KEY CHECK (id = 1), recipe_name TEXT NOT NULL, recipe_hash TEXT NOT NULL,
                  recipe_text TEXT NOT NULL, seed INTEGER NOT NULL, tool_version TEXT NOT NULL, source TEXT NOT NULL,
                  options TEXT NOT NULL, created TEXT NOT NULL);
                CREATE TABLE clips (key TEXT PRIMARY KEY, source_clip TEXT NOT NULL, variant INTEGER NOT NULL, status TEXT NOT NULL,
                  plan TEXT NOT NULL, seconds REAL NOT NULL, op_seconds TEXT NOT NULL, compressed_bytes TEXT NOT NULL, rendered_at TEXT NOT NULL);
                CREATE TABLE frames (clip_key TEXT NOT NULL REFERENCES clips(key) ON DELETE CASCADE, kind TEXT NOT NULL, idx INTEGER NOT NULL,
                  path TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, checksum TEXT NOT NULL, params TEXT NOT NULL,
                  PRIMARY KEY (clip_key, kind, idx));
                INSERT INTO run VALUES (1, 'tiny', 'abc', 'name: tiny', -1, '0.1.0', '/data', '{"clips":null}', '2026-01-01');
                INSERT INTO clips VALUES ('000', '000', 0, 'done', '{}', 0.5, '{}', '{}', '2026-01-01');
                INSERT INTO frames VALUES ('000', 'lq', 0, 'lq/000/00000000.png', 8, 8, '0123456789abcdef', '{}');
                """)
        }
        let old = try RenderCatalog(path: path, readOnly: true)
        #expect(old.version == 1)
        #expect(try old.run()?.seed == UInt64.max, "schema 1 stored the seed's bit pattern")
        #expect(try old.clipRows().first?.frames.first?.bytes == nil)
        let migrated = try RenderCatalog(path: path)
        #expect(migrated.version == 2)
        #expect(try migrated.run()?.seed == UInt64.max)
        #expect(try migrated.run()?.options == "{\"clips\":null}")
        #expect(try migrated.clipRows().map(\.key) == ["000"])
        #expect(try migrated.db.rows("SELECT seed FROM run").first?[0] == .text("18446744073709551615"))
    }
}

/// Source problems that used to be skipped quietly are refused, naming the folder or file.
@Suite struct SourceProblemsAreNamed {
    @Test func emptyClipFoldersMismatchedMetaInfoBadCRCsAndSymlinkLoops() throws {
        let dir = try RenderFixtures.tempDir("source-problems")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        func render(_ root: String, _ extra: [String] = []) throws -> DegradeCLI.Result {
            try DegradeCLI.run(["render", recipe, "--input", root, "--source", "reds", "--out", "\(dir)/out", "--quiet"] + extra, logDir: dir)
        }
        // An empty clip folder.
        let empty = try RenderFixtures.redsFolder(clips: ["000"], frames: 4, in: dir, name: "empty")
        try FileManager.default.createDirectory(atPath: "\(empty)/001", withIntermediateDirectories: true)
        let e = try render(empty)
        #expect(e.status == 2 && e.stderr.contains("\(empty)/001") && e.stderr.contains("no PNG or JPEG frames"), "\(e.stderr)")
        // A meta_info line whose size does not match the frames.
        let sized = try RenderFixtures.redsFolder(clips: ["000"], frames: 4, in: dir, name: "sized")
        try Data("000 4 (720,1280,3)\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/meta.txt"))
        let m = try render(sized, ["--meta-info", "\(dir)/meta.txt"])
        #expect(m.status == 2 && m.stderr.contains("1280×720") && m.stderr.contains("40×36"), "\(m.stderr)")
        // A frame whose ancillary chunk has a bad CRC (a tEXt chunk spliced in before IEND).
        let crc = try RenderFixtures.redsFolder(clips: ["000"], frames: 4, in: dir, name: "crc")
        let frame = "\(crc)/000/00000002.png"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: frame)))
        let text: [UInt8] = [0, 0, 0, 5] + Array("tEXta\0bcd".utf8.prefix(9)) + [0xDE, 0xAD, 0xBE, 0xEF]
        bytes.insert(contentsOf: text, at: 33)  // after the signature and IHDR, before the image data
        try Data(bytes).write(to: URL(fileURLWithPath: frame))
        let c = try render(crc)
        #expect(c.status == 2 && c.stderr.contains(frame), "\(c.stderr)")
        // A clip whose frame is a symlink to itself.
        let loop = try RenderFixtures.redsFolder(clips: ["000"], frames: 4, in: dir, name: "loop")
        let looped = "\(loop)/000/00000001.png"
        try FileManager.default.removeItem(atPath: looped)
        try FileManager.default.createSymbolicLink(atPath: looped, withDestinationPath: looped)
        let l = try render(loop)
        #expect(l.status == 2 && l.stderr.contains("symbolic links"), "\(l.status) \(l.stderr)")
    }
}
