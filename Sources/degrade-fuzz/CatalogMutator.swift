import CSQLite

/// Mutations of a render catalog (index.sqlite) through SQL: dropped tables, garbage rows and values,
/// broken plan JSON. The file-level mutations (truncation, bit flips) come from `ByteMutator`.
enum CatalogMutator {
    static let statements = [
        "DROP TABLE frames", "DROP TABLE clips", "DROP TABLE run", "DELETE FROM run", "DELETE FROM clips",
        "UPDATE clips SET plan = 'garbage'", "UPDATE clips SET plan = substr(plan, 1, length(plan) / 2)",
        "UPDATE clips SET plan = replace(plan, '\"width\" : ', '\"width\" : -')",
        "UPDATE clips SET plan = replace(plan, '\"frameCount\" : ', '\"frameCount\" : 9999999999')",
        "UPDATE clips SET plan = replace(plan, '[', '{')", "UPDATE clips SET plan = NULL",
        "UPDATE clips SET status = 'broken'", "UPDATE clips SET variant = -5", "UPDATE clips SET source_clip = '../../etc'",
        "INSERT INTO clips VALUES ('zz', 'zz', 0, 'done', '{}', 0, '{}', '{}', 'now')",
        "INSERT INTO clips VALUES ('zz', 'zz', 99999999999, 'done', x'00ff', -1, 'x', 'y', 'now')",
        "UPDATE frames SET width = -1, height = 1e10", "UPDATE frames SET path = '/etc/passwd'", "UPDATE frames SET path = '../x.png'",
        "DELETE FROM frames WHERE rowid % 2 = 0", "UPDATE frames SET checksum = 'bad'", "UPDATE frames SET idx = idx + 1000",
        "UPDATE run SET options = '{\"frames\": 1e30}'", "UPDATE run SET options = 'not json'", "UPDATE run SET seed = -1",
        "UPDATE run SET recipe_text = ''", "UPDATE run SET recipe_hash = 'x'",
        "CREATE TABLE extra (x)", "ALTER TABLE clips RENAME TO clips_old", "ALTER TABLE frames ADD COLUMN junk",
    ]

    /// Applies one to three statements; returns what was done (a statement may fail when an earlier one dropped its table).
    static func mutate(database path: String, rng: inout FuzzRandom) -> [String] {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { sqlite3_close(db); return ["open failed"] }
        defer { sqlite3_close(db) }
        var notes: [String] = []
        for _ in 0..<(1 + rng.below(3)) {
            let sql = rng.pick(statements)
            let rc = sqlite3_exec(db, sql, nil, nil, nil)
            notes.append(sql + (rc == SQLITE_OK ? "" : " (failed)"))
        }
        sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nil, nil, nil)
        return notes
    }
}
