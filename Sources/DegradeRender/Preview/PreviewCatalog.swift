import DegradeEngine
import Foundation

/// `DIR/previews.sqlite`: what a preview run showed, for tools and for comparing runs later.
///
/// - `run`: one row — seed, tool version, creation time (ISO 8601, UTC), source, samples per recipe.
/// - `recipes`: position, name, description, file, hash and full YAML text of each recipe.
/// - `previews`: one row per sample — recipe, sample index, key, source clip, variant, plan JSON, GT and LQ
///   sizes, and the relative paths of the pairs sheet, frame 0's pair and the stages sheet.
/// - `stages`: one row per stage image of frame 0 — position, step location, op, native size, parameters
///   (JSON) and relative path.
enum PreviewCatalog {
    static let fileName = "previews.sqlite"

    static let schema = """
        CREATE TABLE run (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seed INTEGER NOT NULL, tool_version TEXT NOT NULL, created TEXT NOT NULL,
            source TEXT NOT NULL, samples INTEGER NOT NULL);
        CREATE TABLE recipes (
            id INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE, name TEXT NOT NULL, description TEXT NOT NULL,
            file TEXT NOT NULL, hash TEXT NOT NULL, text TEXT NOT NULL, folder TEXT NOT NULL);
        CREATE TABLE previews (
            id INTEGER PRIMARY KEY, recipe_id INTEGER NOT NULL REFERENCES recipes(id), sample INTEGER NOT NULL,
            key TEXT NOT NULL, clip TEXT NOT NULL, variant INTEGER NOT NULL, plan TEXT NOT NULL,
            gt_width INTEGER NOT NULL, gt_height INTEGER NOT NULL, lq_width INTEGER NOT NULL, lq_height INTEGER NOT NULL,
            pairs_path TEXT NOT NULL, pair_frames TEXT NOT NULL, compare_path TEXT NOT NULL, stages_path TEXT NOT NULL, seconds REAL NOT NULL,
            UNIQUE (recipe_id, sample));
        CREATE TABLE stages (
            preview_id INTEGER NOT NULL REFERENCES previews(id), position INTEGER NOT NULL, at TEXT NOT NULL,
            op TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, params TEXT NOT NULL, path TEXT NOT NULL,
            PRIMARY KEY (preview_id, position));
        """

    static func write(to path: String, run: PreviewRun, recipes: [PreviewRecipe], records: [PreviewRecord]) throws {
        let db = try SQLiteDatabase(path: path)
        try db.execute(schema)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try db.transaction {
            try db.run("INSERT INTO run (id, seed, tool_version, created, source, samples) VALUES (1, ?, ?, ?, ?, ?)",
                       [.int(Int64(bitPattern: run.seed)), .text(run.toolVersion), .text(run.created), .text(run.source), .int(Int64(run.samples))])
            var recipeIDs: [Int64] = []
            for (i, r) in recipes.enumerated() {
                try db.run("INSERT INTO recipes (position, name, description, file, hash, text, folder) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [.int(Int64(i)), .text(r.name), .text(r.description), .text(r.file), .text(r.hash), .text(r.text), .text(r.folder)])
                recipeIDs.append(db.lastInsertRowID)
            }
            for p in records {
                try db.run("""
                    INSERT INTO previews (recipe_id, sample, key, clip, variant, plan, gt_width, gt_height, lq_width, lq_height,
                                          pairs_path, pair_frames, compare_path, stages_path, seconds)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [.int(recipeIDs[p.recipeIndex]), .int(Int64(p.sample)), .text(p.key), .text(p.clip), .int(Int64(p.variant)),
                     .text(p.planJSON), .int(Int64(p.gtSize.width)), .int(Int64(p.gtSize.height)),
                     .int(Int64(p.lqSize.width)), .int(Int64(p.lqSize.height)), .text(p.pairsPath),
                     .text(String(decoding: try encoder.encode(p.pairFrames), as: UTF8.self)), .text(p.comparePath), .text(p.stagesSheetPath), .double(p.seconds)])
                let previewID = db.lastInsertRowID
                for s in p.stages {
                    try db.run("INSERT INTO stages (preview_id, position, at, op, width, height, params, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               [.int(previewID), .int(Int64(s.index)), .text(s.at), .text(s.op), .int(Int64(s.width)), .int(Int64(s.height)),
                                .text(String(decoding: try encoder.encode(s.parameters), as: UTF8.self)), .text(s.path)])
                }
            }
        }
        // One self-contained file: no -wal/-shm companions left beside it when the folder is moved into place.
        try db.execute("PRAGMA journal_mode=DELETE")
    }
}

/// The run-wide facts of a preview.
public struct PreviewRun: Sendable, Equatable {
    public var seed: UInt64
    public var toolVersion: String
    /// ISO 8601, UTC.
    public var created: String
    public var source: String
    public var samples: Int
}
