import Foundation

/// A new file inside a staging folder that becomes visible only when the whole folder is renamed into place: the
/// folder's rename is what makes the set atomic, so the file needs no temporary name and rename of its own.
public enum StagedFile {
    /// Creates `path` (which must not exist) with `bytes`; a failed write leaves no file behind.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path, "cannot create the file: \(String(cString: strerror(errno)))") }
        var offset = 0
        let failure: String? = bytes.withUnsafeBytes { buf in
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return "write failed: \(String(cString: strerror(errno)))"
                }
                offset += n
            }
            return nil
        }
        let closed = close(fd) == 0 ? nil : "write failed: \(String(cString: strerror(errno)))"
        if let reason = failure ?? closed {
            unlink(path)
            throw WriteError(path, reason)
        }
    }
}
