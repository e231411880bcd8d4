import Foundation

/// Writes whole files so that readers see either the old file or the complete new one, never a prefix:
/// data goes to a hidden temporary file in the same directory, is flushed to disk, then renamed over the target.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, durable: Bool = true) throws {
        try bytes.withUnsafeBytes { try write($0, to: path, durable: durable) }
    }

    public static func write(_ data: Data, to path: String) throws {
        try data.withUnsafeBytes { try write($0, to: path) }
    }

    /// With `durable` the data is fsync'ed before the rename (survives power loss); without, the write is
    /// still atomic with respect to readers and to the process being killed.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String, durable: Bool = true) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let tmp = "\(dir)/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path, "cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))") }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                throw WriteError(path, "write failed: \(reason)")
            }
            offset += n
        }
        if durable && fsync(fd) != 0 {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw WriteError(path, "fsync failed: \(reason)")
        }
        close(fd)
        guard rename(tmp, path) == 0 else {
            throw WriteError(path, "cannot rename the finished file into place: \(String(cString: strerror(errno)))")
        }
        ok = true
    }
}

/// Writing an output failed (disk full, permissions, …): a runtime failure, not a problem with the input.
public struct WriteError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let reason: String

    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
