import DegradeEngine
import DegradeMedia
import Foundation

/// The output folder of a render, and the one rule for deleting in it: degrade removes only what a render
/// wrote — the frame files its catalog lists, the clip folders they leave empty, its own staging folders,
/// `meta_info.txt` and the catalog — never a folder it does not recognise, whatever `--force` says.
enum RenderOutput {
    /// The folders a render writes frames into.
    static let kinds = ["lq", "gt", "gt_unsharp"]
    /// What a render may leave at the top of its folder.
    static let ownNames: Set<String> = Set(kinds + ["meta_info.txt", RenderCatalog.fileName, "\(RenderCatalog.fileName)-wal",
                                                    "\(RenderCatalog.fileName)-shm", OutputLock.fileName])

    /// Refuses an `--out` that is a file, or a non-empty folder without a render catalog (with or without
    /// `--force`). Returns whether the folder exists.
    static func checkUsable(_ out: String, force: Bool) throws -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out, isDirectory: &isDir) else { return false }
        guard isDir.boolValue else { throw InputError("--out \(out) is a file, not a folder; name a folder for the render") }
        let entries = Folder.entries(out).filter { $0 != OutputLock.fileName }
        if !entries.isEmpty && !entries.contains(RenderCatalog.fileName) {
            let shown = entries.sorted().prefix(3).joined(separator: ", ")
            throw InputError(force
                ? "--out \(out) holds files degrade did not write (\(shown)\(entries.count > 3 ? ", …" : "")) and no \(RenderCatalog.fileName); --force only deletes an earlier render's own files. Choose another --out, or empty the folder yourself"
                : "\(out) exists and is not a degrade render (no \(RenderCatalog.fileName)); choose another --out")
        }
        return true
    }

    /// Deletes an earlier render in `out`: the frames its catalog lists, clip folders left empty, staging
    /// folders, `meta_info.txt` and the catalog. Anything else (a user's notes, unknown files in a clip folder)
    /// stays, and is reported by the return value.
    static func clear(_ out: String, catalog: RenderCatalog) throws -> [String] {
        let rows = try catalog.clipRows()
        // First look, then delete: a clip folder holding someone else's files stops --force before anything goes.
        for root in roots(in: out) {
            for kind in kinds {
                let dir = "\(out)/\(root)\(kind)"
                for key in Folder.entries(dir) where !key.hasPrefix(".partial-") && Folder.isFolder("\(dir)/\(key)") {
                    try checkReplaceable("\(dir)/\(key)")
                }
            }
        }
        for row in rows {
            for f in row.frames where isOwnFramePath(f.path) {
                let p = "\(out)/\(f.path)"
                if FileManager.default.fileExists(atPath: p) { try Folder.remove(p) }
            }
        }
        try removeEmptyFolders(out)
        for name in ["meta_info.txt", RenderCatalog.fileName, "\(RenderCatalog.fileName)-wal", "\(RenderCatalog.fileName)-shm"] {
            let p = "\(out)/\(name)"
            if FileManager.default.fileExists(atPath: p) { try Folder.remove(p) }
        }
        var kept: [String] = []
        if let e = FileManager.default.enumerator(atPath: out) {
            while let rel = e.nextObject() as? String {
                if rel != OutputLock.fileName && !Folder.isFolder("\(out)/\(rel)") { kept.append(rel) }
            }
        }
        return kept.sorted()
    }

    /// `""` and every `variant-K/` root in `out`.
    static func roots(in out: String) -> [String] {
        [""] + Folder.entries(out).filter { isVariantRoot($0) }.sorted().map { $0 + "/" }
    }

    static func isVariantRoot(_ name: String) -> Bool {
        name.hasPrefix("variant-") && name.count > 8 && name.dropFirst(8).allSatisfy(\.isNumber)
    }

    /// Staging folders, and clip, kind and variant folders left empty, in every root (meta_info of variant roots
    /// too, which only a render writes there).
    static func removeEmptyFolders(_ out: String) throws {
        for root in roots(in: out) {
            for kind in kinds {
                let dir = "\(out)/\(root)\(kind)"
                for name in Folder.entries(dir) {
                    let p = "\(dir)/\(name)"
                    if name.hasPrefix(".partial-") { try Folder.remove(p); continue }
                    if Folder.isFolder(p) && Folder.entries(p).isEmpty { try Folder.remove(p) }
                }
                if Folder.isFolder(dir) && Folder.entries(dir).isEmpty { try Folder.remove(dir) }
            }
            if !root.isEmpty {
                let dir = "\(out)/\(root.dropLast())"
                if Folder.entries(dir) == ["meta_info.txt"] { try Folder.remove("\(dir)/meta_info.txt") }
                if Folder.entries(dir).isEmpty { try Folder.remove(dir) }
            }
        }
    }

    /// A catalog path of the render layout — `[variant-K/]kind/key/NNNNNNNN.png` or `[variant-K/]kind/NAME.png` —
    /// nothing else is ever deleted through it.
    static func isOwnFramePath(_ path: String) -> Bool {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let first = parts.first, isVariantRoot(first) { parts.removeFirst() }
        guard parts.count >= 2, kinds.contains(parts[0]), parts.dropFirst().allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }) else { return false }
        if parts.count == 2 { return parts[1].hasSuffix(".png") }
        return parts.count == 3 && isFrameName(parts[2])
    }

    /// `NNNNNNNN.png`, the frame names a render writes.
    static func isFrameName(_ name: String) -> Bool {
        name.count == 12 && name.hasSuffix(".png") && name.prefix(8).allSatisfy(\.isASCII) && name.prefix(8).allSatisfy(\.isNumber)
    }

    /// A clip folder about to be replaced must hold only frame files a render writes; anything else is the user's.
    static func checkReplaceable(_ dir: String) throws {
        let foreign = Folder.entries(dir).filter { !isFrameName($0) }
        if !foreign.isEmpty {
            throw InputError("\(dir) is in the way and holds files degrade did not write (\(foreign.sorted().prefix(3).joined(separator: ", "))); move them out and run again")
        }
    }
}
