import DegradeEngine
import DegradeMedia
import Foundation

/// Checks a rendered set's files against its catalog: every listed frame exists with its recorded size (always,
/// cheap), and with `checksums` its bytes hash to the recorded checksum. Resume, merge and `degrade verify`
/// use it, so no command trusts the catalog alone.
public enum SetVerification {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var path: String
        public var reason: String
        public var description: String { "clip \(key): \(path) \(reason)" }
    }

    /// The first problem of each clip (one is enough to re-render it), in key order.
    public static func problems(root: String, rows: [RenderCatalog.ClipRow], checksums: Bool) -> [Problem] {
        var out: [Problem] = []
        for row in rows {
            if row.frames.isEmpty {
                out.append(Problem(key: row.key, path: root, reason: "has no frames in the catalog"))
                continue
            }
            if let p = firstProblem(root: root, row: row, checksums: checksums) { out.append(p) }
        }
        return out
    }

    static func firstProblem(root: String, row: RenderCatalog.ClipRow, checksums: Bool) -> Problem? {
        for f in row.frames {
            let path = "\(root)/\(f.path)"
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
                return Problem(key: row.key, path: f.path, reason: "is missing")
            }
            if let bytes = f.bytes, Int(st.st_size) != bytes {
                return Problem(key: row.key, path: f.path, reason: "has \(st.st_size) bytes, the catalog recorded \(bytes)")
            }
            if checksums {
                guard let data = FileManager.default.contents(atPath: path) else {
                    return Problem(key: row.key, path: f.path, reason: "cannot be read")
                }
                let sum = StableHash.checksum([UInt8](data))
                if sum != f.checksum {
                    return Problem(key: row.key, path: f.path, reason: "has checksum \(sum), the catalog recorded \(f.checksum) (the file was changed)")
                }
            }
        }
        return nil
    }
}

extension SetVerification {
    /// What `degrade verify DIR` found.
    public struct Report: Sendable {
        public var clips: Int
        public var frames: Int
        var expectedClips: Int?
        public var partial: Bool
        public var problems: [String]
    }

    /// Checks a whole set: the catalog opens, it is complete (as many clips as its run expected), each frame is on
    /// disk with its size (and, with `checksums`, its checksum), `meta_info.txt` says what the catalog says, and no
    /// frame file lies in the clip folders that the catalog does not list.
    public static func check(root: String, checksums: Bool = true) throws -> Report {
        let index = "\(root)/\(RenderCatalog.fileName)"
        guard FileManager.default.fileExists(atPath: index) else {
            throw InputError("\(root) has no \(RenderCatalog.fileName); it is not a rendered set")
        }
        let catalog = try RenderCatalog(path: index, readOnly: true)
        guard let run = try catalog.run() else {
            throw CatalogError(index, "has no run record: the render that made it never finished a clip")
        }
        let rows = try catalog.clipRows()
        var out: [String] = problems(root: root, rows: rows, checksums: checksums).map(\.description)
        if let expected = run.expectedClips, rows.count != expected {
            out.append("the set holds \(rows.count) of the \(expected) clips its render was asked for: run the render command again to finish it")
        }
        if run.partial { out.append("the index is marked partial (merged with --allow-partial)") }
        out += metaInfoProblems(root: root, rows: rows)
        // Frame files nobody listed: under every kind folder of every root.
        let listed = Set(rows.flatMap { $0.frames.map(\.path) })
        let roots = MetaInfoWriter.byRoot(rows).keys
        for r in roots {
            for kind in RenderOutput.kinds {
                let base = "\(r)\(kind)"
                guard let e = FileManager.default.enumerator(atPath: "\(root)/\(base)") else { continue }
                while let rel = e.nextObject() as? String {
                    let path = "\(base)/\(rel)"
                    if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) || Folder.isFolder("\(root)/\(path)") { continue }
                    if !listed.contains(path) { out.append("\(path) is on disk but not in the index") }
                }
            }
        }
        return Report(clips: rows.count, frames: rows.reduce(0) { $0 + $1.frames.count }, expectedClips: run.expectedClips,
                      partial: run.partial, problems: out)
    }

    /// Each root's meta_info must list what the index lists, in any of the forms degrade writes.
    static func metaInfoProblems(root: String, rows: [RenderCatalog.ClipRow]) -> [String] {
        var out: [String] = []
        for (r, clips) in MetaInfoWriter.byRoot(rows) {
            let path = "\(root)/\(r)meta_info.txt"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                out.append("\(r)meta_info.txt is missing or unreadable")
                continue
            }
            let (want, images) = MetaInfoWriter.metaInfo(clips)
            if images {
                let expected = want.entries.map { "\($0.key).png, \($0.key).png" }
                let lines = text.split(separator: "\n").map(String.init)
                if lines != expected { out.append("\(r)meta_info.txt does not match the index (re-run the render command to rewrite it)") }
                continue
            }
            guard let have = try? MetaInfo.parse(text, path: path), sameEntries(have.entries, want.entries) else {
                out.append("\(r)meta_info.txt does not match the index (re-run the render command to rewrite it)")
                continue
            }
        }
        return out
    }

    static func sameEntries(_ a: [MetaInfo.Entry], _ b: [MetaInfo.Entry]) -> Bool {
        guard a.count == b.count else { return false }
        for (h, w) in zip(a, b) {
            if h.key != w.key || h.frameCount != w.frameCount { return false }
            if let hw = h.width, hw != w.width { return false }
            if let hh = h.height, hh != w.height { return false }
        }
        return true
    }
}
