import DegradeEngine
import DegradeMedia
import DegradeOps
import Foundation

/// `degrade merge-index`: combines the sets rendered by shards (`--shard i/n`) into one set with one index.
/// The shards must share recipe, seed and options; frame folders are hard-linked (copied across file
/// systems) into the output, and the merged catalog is written in one transaction.
public enum IndexMerge {
    public struct Summary: Sendable {
        public var clips: Int
        public var shards: Int
        /// Why the merged set is partial (empty when complete).
        public var problems: [String] = []
        /// Shards made with other native builds (bytes may differ from a single render).
        public var warnings: [String] = []
    }

    /// Merges `shards` into `out`. The shards must be every shard 1…N of one render (same recipe, seed, options
    /// and source), each finished and intact on disk; with `allowPartial` missing or unfinished shards are let
    /// through and the merged catalog is marked partial. With `verify` each frame's checksum is compared too.
    public static func merge(shards: [String], into out: String, allowPartial: Bool = false, verify: Bool = false) throws -> Summary {
        guard !shards.isEmpty else { throw InputError("merge-index needs at least one shard folder") }
        let fm = FileManager.default
        try PathOverlap.check(output: out, inputs: shards.map { ("a shard", $0) })
        var seenDirs: [String: String] = [:]
        for dir in shards {
            let r = PathOverlap.resolved(dir)
            if let other = seenDirs[r] { throw InputError("\(dir) is named twice (also as \(other)); shards must be disjoint: name each shard folder once") }
            seenDirs[r] = dir
        }
        var catalogs: [(dir: String, catalog: RenderCatalog, run: RenderCatalog.Run, options: RenderOptions?)] = []
        for dir in shards {
            let index = "\(dir)/\(RenderCatalog.fileName)"
            guard fm.fileExists(atPath: index) else { throw InputError("\(dir): no \(RenderCatalog.fileName); not a rendered set") }
            let cat = try RenderCatalog(path: index, readOnly: true)
            guard let run = try cat.run() else {
                throw InputError("\(dir): the index has no run record: that shard never finished a clip; run its render command again")
            }
            catalogs.append((dir, cat, run, RenderOptions.decode(run.options)))
        }
        let first = catalogs[0]
        for c in catalogs.dropFirst() {
            let sameOptions = c.options != nil && first.options != nil
                ? c.options!.withShard(.init(index: 1, count: 1)) == first.options!.withShard(.init(index: 1, count: 1))
                : c.run.options == first.run.options
            guard c.run.recipeHash == first.run.recipeHash, c.run.seed == first.run.seed, sameOptions else {
                throw InputError("\(c.dir) was rendered with recipe \(c.run.recipeName) (hash \(c.run.recipeHash)), seed \(c.run.seed), options \(c.run.options); \(first.dir) with \(first.run.recipeName) (hash \(first.run.recipeHash)), seed \(first.run.seed), options \(first.run.options). Shards must share all three")
            }
        }
        for c in catalogs.dropFirst() where (c.run.sampleVersion ?? 1) != (first.run.sampleVersion ?? 1) {
            throw InputError("\(c.dir) was rendered with sample version \(c.run.sampleVersion ?? 1) (degrade \(c.run.toolVersion)), \(first.dir) with sample version \(first.run.sampleVersion ?? 1) (degrade \(first.run.toolVersion)): their bytes are not from one rule; re-render one of them")
        }
        var warnings: [String] = []
        for c in catalogs.dropFirst() {
            let d = NativeLibraries.differences(RenderCatalog.decodeLibraries(first.run.nativeLibraries), RenderCatalog.decodeLibraries(c.run.nativeLibraries))
            if !d.isEmpty { warnings.append("\(c.dir) was rendered with other native builds than \(first.dir): \(d.joined(separator: "; "))") }
        }
        var problems: [String] = []
        // Which shards of 1…N are here, each once.
        if let o = first.options {
            let n = o.shard.count
            var byIndex: [Int: String] = [:]
            for c in catalogs {
                guard let s = c.options?.shard, s.count == n else {
                    throw InputError("\(c.dir) is shard \(c.options?.shard.description ?? "?") but \(first.dir) is shard \(o.shard): every shard must come from the same --shard I/N split")
                }
                if let other = byIndex[s.index] { throw InputError("\(c.dir) and \(other) are both shard \(s); each shard may be merged once") }
                byIndex[s.index] = c.dir
            }
            let missing = (1...n).filter { byIndex[$0] == nil }
            if !missing.isEmpty {
                problems.append("shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) missing")
            }
        } else {
            problems.append("the shards were written by an older degrade that did not record which shard each is, so completeness cannot be checked")
        }
        // Each shard finished and intact on disk.
        var rowsByDir: [String: [RenderCatalog.ClipRow]] = [:]
        for c in catalogs {
            let rows = try c.catalog.clipRows()
            rowsByDir[c.dir] = rows
            if let expected = c.run.expectedClips, rows.count < expected {
                problems.append("\(c.dir) (shard \(c.options?.shard.description ?? "?")) is unfinished: \(rows.count) of \(expected) clips; run its render command again to finish it")
            }
            if c.run.partial { problems.append("\(c.dir) is itself a partial merge") }
            let broken = SetVerification.problems(root: c.dir, rows: rows, checksums: verify)
            if let b = broken.first {
                throw InputError("\(c.dir): \(broken.count) clip(s) do not match the index, e.g. \(b); run that shard's render command again to repair it")
            }
        }
        if !problems.isEmpty && !allowPartial {
            throw InputError("the shard set is incomplete: " + problems.joined(separator: "; ") + ". Merge every shard once finished, or pass --allow-partial to merge what is here (the merged index is then marked partial)")
        }
        if fm.fileExists(atPath: "\(out)/\(RenderCatalog.fileName)") {
            throw InputError("\(out) already has an index; merge into a new folder")
        }
        // What an earlier merge that died may have left is degrade's own and is replaced below.
        let outEntries = Folder.entries(out).filter { $0 != OutputLock.fileName && !$0.hasPrefix("\(RenderCatalog.fileName).partial") }
        if !outEntries.isEmpty {
            throw InputError("\(out) exists and is not empty; merge into a new folder")
        }
        // Every check happens before the first file is linked, so a refused merge leaves --out untouched.
        var seen: [String: String] = [:]
        var rows: [(dir: String, row: RenderCatalog.ClipRow)] = []
        for c in catalogs {
            for row in rowsByDir[c.dir] ?? [] {
                if let other = seen[row.key] {
                    throw InputError("clip \(row.key) is in both \(other) and \(c.dir); shards must be disjoint")
                }
                seen[row.key] = c.dir
                rows.append((c.dir, row))
            }
        }
        var mergedRun = first.run
        if let o = first.options { mergedRun.options = o.withShard(.init(index: 1, count: 1)).json }
        mergedRun.expectedClips = problems.isEmpty ? rows.count : nil
        mergedRun.partial = !problems.isEmpty
        try Folder.create(out)
        let lock = try OutputLock(folder: out)
        defer { lock.release() }
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
            try merged.setRun(mergedRun)
            for row in rows.map(\.row).sorted(by: { $0.key < $1.key }) { try merged.record(row) }
            try merged.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try fm.moveItem(atPath: partial, toPath: "\(out)/\(RenderCatalog.fileName)")
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: partial + suffix) }
        try MetaInfoWriter.write(RenderCatalog(path: "\(out)/\(RenderCatalog.fileName)"), into: out)
        return Summary(clips: rows.count, shards: shards.count, problems: problems, warnings: warnings)
    }
}

/// `meta_info.txt` of a rendered set, in any of the three forms `MetaInfo` reads (BasicSR's by default), listing
/// the GT folder's clips (the LQ folder's when the render wrote no GT).
enum MetaInfoWriter {
    /// Writes `meta_info.txt` into every root of the set in `out` (one per variant root).
    public static func write(_ catalog: RenderCatalog, into out: String, format: MetaInfo.Format = .basicsr) throws {
        for (root, text) in texts(try catalog.clipRows(), format: format) {
            try AtomicFile.write(Array(text.utf8), to: "\(out)/\(root)meta_info.txt")
        }
    }

    /// Each root's clips (`variant-K/` or ``), from the frame paths the catalog lists.
    static func byRoot(_ rows: [RenderCatalog.ClipRow]) -> [String: [RenderCatalog.ClipRow]] {
        var out: [String: [RenderCatalog.ClipRow]] = [:]
        for row in rows {
            let first = row.frames.first?.path ?? ""
            let root = first.hasPrefix("variant-") ? String(first.prefix { $0 != "/" }) + "/" : ""
            out[root, default: []].append(row)
        }
        return out.isEmpty ? ["": []] : out
    }

    /// The meta_info entries of one root: clip folder (or image) names with the GT's frame count and size (the LQ's
    /// when the render wrote no GT).
    static func metaInfo(_ rows: [RenderCatalog.ClipRow]) -> (MetaInfo, images: Bool) {
        var entries: [MetaInfo.Entry] = []
        var images = false
        for clip in rows {
            let kind = clip.frames.contains { $0.kind == "gt" } ? "gt" : "lq"
            let fs = clip.frames.filter { $0.kind == kind }.sorted { $0.index < $1.index }
            guard let f = fs.first else { continue }
            let parts = f.path.split(separator: "/").map(String.init)
            let kindAt = parts.firstIndex(of: kind) ?? 0
            images = parts.count == kindAt + 2
            let name = images ? String(parts[kindAt + 1].dropLast(4)) : parts[kindAt + 1]
            entries.append(MetaInfo.Entry(key: name, frameCount: fs.count, height: f.height, width: f.width, channels: 3,
                                          frameNames: fs.map { String($0.path.split(separator: "/").last ?? "") }))
        }
        return (MetaInfo(entries: entries), images)
    }

    /// Each root's file text. An image set gets the `gt, lq` form of BasicSR / Real-ESRGAN paired datasets.
    static func texts(_ rows: [RenderCatalog.ClipRow], format: MetaInfo.Format = .basicsr) -> [(root: String, text: String)] {
        byRoot(rows).sorted { $0.key < $1.key }.map { root, rows in
            let (info, images) = metaInfo(rows)
            if images { return (root, info.entries.map { "\($0.key).png, \($0.key).png" }.joined(separator: "\n") + "\n") }
            return (root, info.render(format))
        }
    }
}
