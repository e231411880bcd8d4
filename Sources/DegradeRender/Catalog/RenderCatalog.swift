import DegradeEngine
import Foundation

/// `DIR/index.sqlite` of a rendered set: the run (recipe text and hash, seed, tool version, options), each
/// clip (key, source clip, status, plan JSON, timings) and each frame (paths, sizes, per-frame parameters,
/// checksum). A clip and its frames are committed in one transaction, so the catalog never lists a clip
/// whose rows are partial.
public final class RenderCatalog {
    public let db: SQLiteDatabase
    public static let fileName = "index.sqlite"

    public struct Run: Sendable, Equatable {
        public var recipeName: String
        public var recipeHash: String
        public var recipeText: String
        public var seed: UInt64
        public var toolVersion: String
        public var source: String
        /// JSON of the options that change the output (frames, repeat, …).
        public var options: String
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
    }

    public init(path: String, readOnly: Bool = false) throws {
        db = try SQLiteDatabase(path: path, readOnly: readOnly)
        if !readOnly { try createSchema() }
    }

    func createSchema() throws {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS run (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              recipe_name TEXT NOT NULL, recipe_hash TEXT NOT NULL, recipe_text TEXT NOT NULL,
              seed INTEGER NOT NULL, tool_version TEXT NOT NULL, source TEXT NOT NULL, options TEXT NOT NULL,
              created TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS clips (
              key TEXT PRIMARY KEY, source_clip TEXT NOT NULL, variant INTEGER NOT NULL,
              status TEXT NOT NULL, plan TEXT NOT NULL, seconds REAL NOT NULL, op_seconds TEXT NOT NULL,
              compressed_bytes TEXT NOT NULL, rendered_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS frames (
              clip_key TEXT NOT NULL REFERENCES clips(key) ON DELETE CASCADE,
              kind TEXT NOT NULL, idx INTEGER NOT NULL, path TEXT NOT NULL,
              width INTEGER NOT NULL, height INTEGER NOT NULL, checksum TEXT NOT NULL, params TEXT NOT NULL,
              PRIMARY KEY (clip_key, kind, idx));
            """)
    }

    public func run() throws -> Run? {
        guard let r = try db.rows("SELECT recipe_name, recipe_hash, recipe_text, seed, tool_version, source, options FROM run WHERE id = 1").first else {
            return nil
        }
        return Run(recipeName: r[0].text ?? "", recipeHash: r[1].text ?? "", recipeText: r[2].text ?? "",
                   seed: UInt64(bitPattern: r[3].int ?? 0), toolVersion: r[4].text ?? "", source: r[5].text ?? "",
                   options: r[6].text ?? "")
    }

    public func setRun(_ run: Run) throws {
        try db.run("INSERT INTO run (id, recipe_name, recipe_hash, recipe_text, seed, tool_version, source, options, created) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [.text(run.recipeName), .text(run.recipeHash), .text(run.recipeText), .int(Int64(bitPattern: run.seed)),
                    .text(run.toolVersion), .text(run.source), .text(run.options), .text(ISO8601DateFormatter().string(from: Date()))])
    }

    public func doneKeys() throws -> Set<String> {
        Set(try db.rows("SELECT key FROM clips WHERE status = 'done'").compactMap { $0[0].text })
    }

    /// Records a finished clip and its frames in one transaction.
    public func record(_ clip: ClipRow) throws {
        try db.transaction {
            try db.run("DELETE FROM clips WHERE key = ?", [.text(clip.key)])
            try db.run("INSERT INTO clips (key, source_clip, variant, status, plan, seconds, op_seconds, compressed_bytes, rendered_at) VALUES (?, ?, ?, 'done', ?, ?, ?, ?, ?)",
                       [.text(clip.key), .text(clip.sourceClip), .int(Int64(clip.variant)), .text(clip.plan), .double(clip.seconds),
                        .text(clip.opSeconds), .text(clip.compressedBytes), .text(ISO8601DateFormatter().string(from: Date()))])
            let insert = try db.prepare("INSERT INTO frames (clip_key, kind, idx, path, width, height, checksum, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for f in clip.frames {
                try insert.bind([.text(clip.key), .text(f.kind), .int(Int64(f.index)), .text(f.path), .int(Int64(f.width)),
                                 .int(Int64(f.height)), .text(f.checksum), .text(f.params)])
                while try insert.step() {}
            }
        }
    }

    public func clipRows() throws -> [ClipRow] {
        let clips = try db.rows("SELECT key, source_clip, variant, plan, seconds, op_seconds, compressed_bytes FROM clips WHERE status = 'done' ORDER BY key")
        let frames = try db.rows("SELECT clip_key, kind, idx, path, width, height, checksum, params FROM frames ORDER BY clip_key, kind, idx")
        var byClip: [String: [FrameRow]] = [:]
        for f in frames {
            byClip[f[0].text ?? "", default: []].append(FrameRow(kind: f[1].text ?? "", index: Int(f[2].int ?? 0), path: f[3].text ?? "",
                                                                  width: Int(f[4].int ?? 0), height: Int(f[5].int ?? 0),
                                                                  checksum: f[6].text ?? "", params: f[7].text ?? ""))
        }
        return clips.map { c in
            ClipRow(key: c[0].text ?? "", sourceClip: c[1].text ?? "", variant: Int(c[2].int ?? 0), plan: c[3].text ?? "",
                    seconds: c[4].double ?? 0, opSeconds: c[5].text ?? "{}", compressedBytes: c[6].text ?? "{}",
                    frames: byClip[c[0].text ?? ""] ?? [])
        }
    }

    public func plans() throws -> [DegradationPlan] {
        try clipRows().map { try JSONDecoder().decode(DegradationPlan.self, from: Data($0.plan.utf8)) }
    }
}
