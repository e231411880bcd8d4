import Foundation

/// Paths, sizes and modification times of every file under a folder, except inside excluded sub-folders —
/// compared before and after a run to prove `degrade` changed nothing outside its `--out`.
struct FolderSnapshot: Equatable {
    var entries: [String: String] = [:]

    init(_ root: String, excluding excluded: [String]) {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return }
        while let rel = walker.nextObject() as? String {
            let path = "\(root)/\(rel)"
            if excluded.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
            // SQLite makes these beside any WAL database a reader opens (even read-only) and may leave them; the
            // database file itself is still compared.
            if rel.hasSuffix(".sqlite-wal") || rel.hasSuffix(".sqlite-shm") { continue }
            var info = stat()
            // Files only: a folder's mtime changes whenever an allowed file (a case's stdout) appears in it.
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { continue }
            entries[rel] = "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_mode)"
        }
    }

    /// What differs, as short lines (`changed x`, `added y`, `removed z`).
    func differences(to after: FolderSnapshot) -> [String] {
        var out: [String] = []
        for (k, v) in entries.sorted(by: { $0.key < $1.key }) {
            if let w = after.entries[k] { if w != v { out.append("changed \(k)") } } else { out.append("removed \(k)") }
        }
        for k in after.entries.keys.sorted() where entries[k] == nil { out.append("added \(k)") }
        return out
    }
}
