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
        public var expectedClips: Int?
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
        let metaPath = "\(root)/meta_info.txt"
        let want = MetaInfoWriter.text(rows)
        if let have = try? String(contentsOfFile: metaPath, encoding: .utf8) {
            if have != want { out.append("meta_info.txt does not match the index (re-run the render command to rewrite it)") }
        } else {
            out.append("meta_info.txt is missing or unreadable")
        }
        let listed = Set(rows.flatMap { $0.frames.map(\.path) })
        for kind in RenderOutput.kinds {
            for key in Folder.entries("\(root)/\(kind)") where !key.hasPrefix(".") {
                for name in Folder.entries("\(root)/\(kind)/\(key)") where !listed.contains("\(kind)/\(key)/\(name)") {
                    out.append("\(kind)/\(key)/\(name) is on disk but not in the index")
                }
            }
        }
        return Report(clips: rows.count, frames: rows.reduce(0) { $0 + $1.frames.count }, expectedClips: run.expectedClips,
                      partial: run.partial, problems: out)
    }
}
