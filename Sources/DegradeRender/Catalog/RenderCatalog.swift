import DegradeEngine
import DegradeMedia
import Foundation

/// `DIR/index.sqlite` of a rendered set: the run (recipe text and hash, seed, tool version, options), each
/// clip (key, source clip, status, plan JSON, timings) and each frame (paths, sizes, byte counts, per-frame
/// parameters, checksum). A clip and its frames are committed in one transaction, so the catalog never lists a
/// clip whose rows are partial. The schema is documented in `datasets/README.md`; `PRAGMA user_version`
/// holds its version and older catalogs are migrated when opened for writing (read as they are otherwise).
public final class RenderCatalog {
    public let db: SQLiteDatabase
    public let path: String
    public static let fileName = "index.sqlite"
    /// 1: the first catalogs (no user_version); 2: run.seed as decimal text, shard and expected clip count,
    /// partial flag, sample version and native library versions, frames.bytes.
    static let schemaVersion = 2
    /// The schema version of the file as opened (after migration when writable).
    public private(set) var version: Int

    public struct Run: Sendable, Equatable {
        public var recipeName: String
        public var recipeHash: String
        public var recipeText: String
        public var seed: UInt64
        public var toolVersion: String
        /// Where the clips were read from, for people; not part of the run's identity (nodes mount data elsewhere).
        public var source: String
        /// JSON of the options that change the output (`RenderOptions`; free-form in version-1 catalogs).
        public var options: String
        /// How many clips this run must hold when complete (its shard's share); nil in version-1 catalogs.
        var expectedClips: Int?
        /// A merge made with `--allow-partial` from an incomplete shard set.
        public var partial: Bool = false
        /// `DegradeVersion.sampleVersion` of the code that rendered the set (nil: written before sample versions, = 1).
        public var sampleVersion: Int?
        /// JSON object library → version of the native builds (codecs, JPEG, PNG, FFT) the bytes came from.
        var nativeLibraries: String?

        public init(recipeName: String, recipeHash: String, recipeText: String, seed: UInt64, toolVersion: String, source: String,
                    options: String, expectedClips: Int? = nil, partial: Bool = false, sampleVersion: Int? = nil,
                    nativeLibraries: String? = nil) {
            self.recipeName = recipeName
            self.recipeHash = recipeHash
            self.recipeText = recipeText
            self.seed = seed
            self.toolVersion = toolVersion
            self.source = source
            self.options = options
            self.expectedClips = expectedClips
            self.partial = partial
            self.sampleVersion = sampleVersion
            self.nativeLibraries = nativeLibraries
        }
    }

    public struct ClipRow: Sendable {
        public var key: String
        public var sourceClip: String
        public var variant: Int
        public var plan: String
        public var seconds: Double
        public var opSeconds: String
        public var compressedBytes: String
        public var frames: [FrameRow]
    }

    public struct FrameRow: Sendable {
        public var kind: String
        public var index: Int
        public var path: String
        public var width: Int
        public var height: Int
        public var checksum: String
        public var params: String
        /// File size in bytes; nil for frames recorded by version-1 catalogs.
        public var bytes: Int?
    }

    /// Opens (creating when writable) the catalog at `path`.
    /// - Throws: `CatalogError` naming the file and how to recover when it is unreadable or not a render catalog.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        do {
            db = try SQLiteDatabase(path: path, readOnly: readOnly)
            version = 0
            let found = try Int(db.rows("PRAGMA user_version").first?[0].int ?? 0)
            let tables = Set(try db.rows("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0[0].text })
            if found > Self.schemaVersion {
                throw CatalogError(path, "was written by a newer degrade (catalog schema \(found), this build reads up to \(Self.schemaVersion)); use that version")
            }
            if tables.isEmpty && !readOnly {
                try createSchema()
                version = Self.schemaVersion
            } else {
                for t in ["run", "clips", "frames"] where !tables.contains(t) {
                    throw CatalogError(path, "has no `\(t)` table; it is not a complete degrade render catalog")
                }
                version = found == 0 ? 1 : found
                if version < Self.schemaVersion && !readOnly { try migrate() }
            }
        } catch let e as CatalogError {
            throw e
        } catch let e as SQLiteError {
            throw Self.failure(e, path: path, doing: "be read")
        }
    }

    /// A full or read-only disk is a failure of this run (exit 1, `WriteError`); anything else means the file itself
    /// is not a usable catalog (exit 2, `CatalogError`).
    static func failure(_ e: SQLiteError, path: String, doing: String) -> Error {
        let m = e.message.lowercased()
        if m.contains("disk i/o error") || m.contains("disk is full") || m.contains("readonly") || m.contains("read-only")
            || m.contains("unable to open") && !FileManager.default.fileExists(atPath: path) {
            return WriteError(path, "the catalog cannot \(doing == "be read" ? "be opened" : doing) (\(e.message)); is the disk full or read-only?")
        }
        return CatalogError(path, "cannot \(doing) (\(e.message))")
    }

    /// The run table of schema 2 (also what a version-1 catalog's run table is rebuilt as).
    static let runTable = """
        CREATE TABLE run (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          recipe_name TEXT NOT NULL, recipe_hash TEXT NOT NULL, recipe_text TEXT NOT NULL,
          seed TEXT NOT NULL, tool_version TEXT NOT NULL, source TEXT NOT NULL, options TEXT NOT NULL,
          created TEXT NOT NULL, expected_clips INTEGER, partial INTEGER NOT NULL DEFAULT 0,
          sample_version INTEGER, native_libraries TEXT);
        """

    func createSchema() throws {
        try db.transaction {
            try db.execute("""
                \(Self.runTable)
                CREATE TABLE clips (
                  key TEXT PRIMARY KEY, source_clip TEXT NOT NULL, variant INTEGER NOT NULL,
                  status TEXT NOT NULL, plan TEXT NOT NULL, seconds REAL NOT NULL, op_seconds TEXT NOT NULL,
                  compressed_bytes TEXT NOT NULL, rendered_at TEXT NOT NULL);
                CREATE TABLE frames (
                  clip_key TEXT NOT NULL REFERENCES clips(key) ON DELETE CASCADE,
                  kind TEXT NOT NULL, idx INTEGER NOT NULL, path TEXT NOT NULL,
                  width INTEGER NOT NULL, height INTEGER NOT NULL, checksum TEXT NOT NULL, params TEXT NOT NULL,
                  bytes INTEGER,
                  PRIMARY KEY (clip_key, kind, idx));
                PRAGMA user_version = \(Self.schemaVersion);
                """)
        }
    }

    /// Version 1 → 2, in one transaction: the run table is rebuilt (its seed column held the seed's bit pattern as
    /// a signed integer), frames gain `bytes` (NULL for the old rows: resume checks their existence only).
    func migrate() throws {
        let old = try run()
        try db.transaction {
            try db.execute("""
                DROP TABLE run;
                \(Self.runTable)
                ALTER TABLE frames ADD COLUMN bytes INTEGER;
                PRAGMA user_version = 2;
                """)
            version = 2
            if let old { try setRun(old) }
        }
    }

    public func run() throws -> Run? {
        let extra = version >= 2 ? "expected_clips, partial, sample_version, native_libraries" : "NULL, 0, NULL, NULL"
        guard let r = try query("SELECT recipe_name, recipe_hash, recipe_text, seed, tool_version, source, options, \(extra) FROM run WHERE id = 1").first else {
            return nil
        }
        let seed: UInt64
        switch r[3] {
        case .int(let v): seed = UInt64(bitPattern: v)  // version 1: the bit pattern
        case .text(let t):
            guard let v = UInt64(t) else { throw CatalogError(path, "run.seed `\(t)` is not a whole number from 0 to 2^64−1") }
            seed = v
        default: throw CatalogError(path, "run.seed is missing")
        }
        return Run(recipeName: r[0].text ?? "", recipeHash: r[1].text ?? "", recipeText: r[2].text ?? "", seed: seed,
                   toolVersion: r[4].text ?? "", source: r[5].text ?? "", options: r[6].text ?? "",
                   expectedClips: r[7].int.map { Int($0) }, partial: (r[8].int ?? 0) != 0,
                   sampleVersion: r[9].int.map { Int($0) }, nativeLibraries: r[10].text)
    }

    /// Writes (or replaces) the run record.
    public func setRun(_ run: Run) throws {
        try write {
            try db.run("INSERT OR REPLACE INTO run (id, recipe_name, recipe_hash, recipe_text, seed, tool_version, source, options, created, expected_clips, partial, sample_version, native_libraries) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [.text(run.recipeName), .text(run.recipeHash), .text(run.recipeText), .text(String(run.seed)),
                        .text(run.toolVersion), .text(run.source), .text(run.options), .text(ISO8601DateFormatter().string(from: Date())),
                        run.expectedClips.map { .int(Int64($0)) } ?? .null, .int(run.partial ? 1 : 0),
                        run.sampleVersion.map { .int(Int64($0)) } ?? .null, run.nativeLibraries.map { .text($0) } ?? .null])
        }
    }

    func doneKeys() throws -> Set<String> {
        Set(try query("SELECT key FROM clips WHERE status = 'done'").compactMap { $0[0].text })
    }

    /// Records a finished clip and its frames in one transaction, with the run record when the catalog has none
    /// yet (so a run that never finished a clip leaves no record behind to lock the folder to its options).
    public func record(_ clip: ClipRow, run: Run? = nil) throws {
        try write {
            try db.transaction {
                if let run, try self.run() == nil { try setRun(run) }
                // Frames too: a damaged catalog may hold frame rows whose clip row is gone.
                try db.run("DELETE FROM frames WHERE clip_key = ?", [.text(clip.key)])
                try db.run("DELETE FROM clips WHERE key = ?", [.text(clip.key)])
                try db.run("INSERT INTO clips (key, source_clip, variant, status, plan, seconds, op_seconds, compressed_bytes, rendered_at) VALUES (?, ?, ?, 'done', ?, ?, ?, ?, ?)",
                           [.text(clip.key), .text(clip.sourceClip), .int(Int64(clip.variant)), .text(clip.plan), .double(clip.seconds),
                            .text(clip.opSeconds), .text(clip.compressedBytes), .text(ISO8601DateFormatter().string(from: Date()))])
                let insert = try db.prepare("INSERT INTO frames (clip_key, kind, idx, path, width, height, checksum, params, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                for f in clip.frames {
                    try insert.bind([.text(clip.key), .text(f.kind), .int(Int64(f.index)), .text(f.path), .int(Int64(f.width)),
                                     .int(Int64(f.height)), .text(f.checksum), .text(f.params), f.bytes.map { .int(Int64($0)) } ?? .null])
                    while try insert.step() {}
                }
            }
        }
    }

    /// Forgets clips (their rows and frames), e.g. ones whose files were found missing or changed.
    func forget(_ keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try write {
            try db.transaction {
                for k in keys {
                    try db.run("DELETE FROM frames WHERE clip_key = ?", [.text(k)])
                    try db.run("DELETE FROM clips WHERE key = ?", [.text(k)])
                }
            }
        }
    }

    func clipRows() throws -> [ClipRow] {
        let clips = try query("SELECT key, source_clip, variant, plan, seconds, op_seconds, compressed_bytes FROM clips WHERE status = 'done' ORDER BY key")
        let bytes = version >= 2 ? "bytes" : "NULL"
        let frames = try query("SELECT clip_key, kind, idx, path, width, height, checksum, params, \(bytes) FROM frames ORDER BY clip_key, kind, idx")
        var byClip: [String: [FrameRow]] = [:]
        for f in frames {
            byClip[f[0].text ?? "", default: []].append(FrameRow(kind: f[1].text ?? "", index: Int(f[2].int ?? 0), path: f[3].text ?? "",
                                                                  width: Int(f[4].int ?? 0), height: Int(f[5].int ?? 0),
                                                                  checksum: f[6].text ?? "", params: f[7].text ?? "",
                                                                  bytes: f[8].int.map { Int($0) }))
        }
        return clips.map { c in
            ClipRow(key: c[0].text ?? "", sourceClip: c[1].text ?? "", variant: Int(c[2].int ?? 0), plan: c[3].text ?? "",
                    seconds: c[4].double ?? 0, opSeconds: c[5].text ?? "{}", compressedBytes: c[6].text ?? "{}",
                    frames: byClip[c[0].text ?? ""] ?? [])
        }
    }

    /// Every clip's plan; a row whose plan does not decode is named with the file and the clip.
    public func plans() throws -> [DegradationPlan] {
        try clipRows().map { row in
            do {
                return try JSONDecoder().decode(DegradationPlan.self, from: Data(row.plan.utf8))
            } catch {
                throw CatalogError(path, "clip \(row.key): the stored plan does not decode (\(RenderCatalog.describe(error))); re-render that clip (delete its row or the set) or audit another set")
            }
        }
    }

    /// Library versions as the catalog stores them: a JSON object with sorted keys.
    static func encodeLibraries(_ v: [String: String]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(v)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decodeLibraries(_ s: String?) -> [String: String] {
        s.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
    }

    /// A decoding failure as the JSON path and what was wrong, not Foundation's debug text.
    static func describe(_ error: Error) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "at the top level" : "at \(p.hasPrefix(".") ? String(p.dropFirst()) : p)"
        }
        switch error {
        case DecodingError.keyNotFound(let key, let c): return "\(path(c)): missing `\(key.stringValue)`"
        case DecodingError.typeMismatch(let type, let c): return "\(path(c)): expected \(type)"
        case DecodingError.valueNotFound(let type, let c): return "\(path(c)): expected \(type), found null"
        case DecodingError.dataCorrupted(let c): return "\(path(c)): \(c.debugDescription)"
        default: return "\(error)"
        }
    }

    /// A read, with SQLite's failures (a damaged file) turned into a message that names the file and the way out.
    func query(_ sql: String, _ values: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        do { return try db.rows(sql, values) } catch let e as SQLiteError { throw Self.failure(e, path: path, doing: "be read") }
    }

    func write<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SQLiteError { throw Self.failure(e, path: path, doing: "be written") }
    }
}

/// A render catalog that cannot be used as it is: names the file and how to recover (exit 2).
public struct CatalogError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let reason: String

    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "\(path) \(reason). The frames on disk are untouched; to start the set over, move the folder aside (or delete it) and render again — `degrade verify DIR` lists what a set holds."
    }
}
