import Foundation

/// The few file-system queries the sources need, in one place.
enum FileManagerBox {
    static func contents(of dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir)
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func readText(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw MediaError(path, "cannot read the text file: \(SystemErrorText.describe(error))")
        }
    }
}
