import DegradeEngine
import DegradeMedia
import Foundation

/// `degrade merge-index`: combines the sets rendered by shards (`--shard i/n`) into one set with one index.
/// The shards must share recipe, seed and options; frame folders are hard-linked (copied across file
/// systems) into the output, and the merged catalog is written in one transaction.
public enum IndexMerge {
    public struct Summary: Sendable {
        public var clips: Int
        public var shards: Int
    }

    public static func merge(shards: [String], into out: String) throws -> Summary {
        guard !shards.isEmpty else { throw InputError("merge-index needs at least one shard folder") }
        let fm = FileManager.default
        var catalogs: [(String, RenderCatalog)] = []
        for dir in shards {
            let index = "\(dir)/\(RenderCatalog.fileName)"
            guard fm.fileExists(atPath: index) else { throw InputError("\(dir): no \(RenderCatalog.fileName); not a rendered set") }
            catalogs.append((dir, try RenderCatalog(path: index, readOnly: true)))
        }
        guard let first = try catalogs[0].1.run() else { throw InputError("\(shards[0]): the index has no run record") }
        for (dir, cat) in catalogs.dropFirst() {
            guard let run = try cat.run() else { throw InputError("\(dir): the index has no run record") }
            guard run.recipeHash == first.recipeHash, run.seed == first.seed, run.options == first.options else {
                throw InputError("\(dir) was rendered with recipe \(run.recipeName) (hash \(run.recipeHash)), seed \(run.seed), options \(run.options); \(shards[0]) with \(first.recipeName) (hash \(first.recipeHash)), seed \(first.seed), options \(first.options). Shards must share all three")
            }
        }
        if fm.fileExists(atPath: "\(out)/\(RenderCatalog.fileName)") {
            throw InputError("\(out) already has an index; merge into a new folder")
        }
        // Every check happens before the first file is linked, so a refused merge leaves --out untouched.
        var seen: [String: String] = [:]
        var rows: [(dir: String, row: RenderCatalog.ClipRow)] = []
        for (dir, cat) in catalogs {
            for row in try cat.clipRows() {
                if let other = seen[row.key] {
                    throw InputError("clip \(row.key) is in both \(other) and \(dir); shards must be disjoint")
                }
                seen[row.key] = dir
                rows.append((dir, row))
                for f in row.frames where !fm.fileExists(atPath: "\(dir)/\(f.path)") {
                    throw InputError("\(dir)/\(f.path): listed in the index but missing on disk")
                }
            }
        }
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (dir, row) in rows {
            for f in row.frames {
                let src = "\(dir)/\(f.path)", dst = "\(out)/\(f.path)"
                if URL(fileURLWithPath: src).standardized.path == URL(fileURLWithPath: dst).standardized.path { continue }
                try fm.createDirectory(atPath: (dst as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if fm.fileExists(atPath: dst) { try fm.removeItem(atPath: dst) }
                if link(src, dst) != 0 { try fm.copyItem(atPath: src, toPath: dst) }
            }
        }
        // Written under a temporary name and renamed when complete, so a failed merge leaves no index behind;
        // a leftover of an earlier failed merge is discarded first. The connection is closed before the rename.
        let partial = "\(out)/\(RenderCatalog.fileName).partial"
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: partial + suffix) }
        do {
            let merged = try RenderCatalog(path: partial)
            try merged.setRun(first)
            for row in rows.map(\.row).sorted(by: { $0.key < $1.key }) { try merged.record(row) }
            try merged.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try fm.moveItem(atPath: partial, toPath: "\(out)/\(RenderCatalog.fileName)")
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: partial + suffix) }
        try MetaInfoWriter.write(RenderCatalog(path: "\(out)/\(RenderCatalog.fileName)"), to: "\(out)/meta_info.txt")
        return Summary(clips: rows.count, shards: shards.count)
    }
}

/// BasicSR `meta_info` for a rendered set: `<key> <frames> (<h>,<w>,3)` of the GT folder (the LQ folder
/// when the render wrote no GT).
public enum MetaInfoWriter {
    public static func write(_ catalog: RenderCatalog, to path: String) throws {
        var entries: [MetaInfo.Entry] = []
        for clip in try catalog.clipRows() {
            let kind = clip.frames.contains { $0.kind == "gt" } ? "gt" : "lq"
            let fs = clip.frames.filter { $0.kind == kind }
            guard let f = fs.first else { continue }
            entries.append(MetaInfo.Entry(key: clip.key, frameCount: fs.count, height: f.height, width: f.width, channels: 3))
        }
        try AtomicFile.write(Array(MetaInfo(entries: entries).render().utf8), to: path)
    }
}
