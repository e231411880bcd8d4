import Foundation

/// Folder operations with errors in plain words (the system's reason, e.g. "Read-only file system"), never
/// Foundation's domain codes.
public enum Folder {
    /// Creates `path` and its missing parents; an existing folder is fine, an existing file is not.
    public static func create(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { return }
            throw WriteError(path, "exists and is a file, not a folder")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try create(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw WriteError(path, "cannot create the folder: \(String(cString: strerror(errno)))")
        }
    }

    /// Renames `from` to `to` (same file system), replacing nothing: `to` must not exist.
    public static func move(_ from: String, to: String) throws {
        if rename(from, to) != 0 {
            throw WriteError(to, "cannot move \(from) into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes a file or a whole folder that degrade wrote.
    public static func remove(_ path: String) throws {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw WriteError(path, "cannot remove: \(SystemErrorText.describe(error))")
        }
    }

    /// Whether `path` is a folder (following symlinks).
    public static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Names in `path`, or an empty list when it cannot be listed.
    public static func entries(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }
}
