import Foundation

/// An exclusive claim on an output folder for the length of one job: `flock` on `DIR/.degrade.lock`.
/// The kernel drops the lock when the process dies, however it dies, so a killed run never blocks its
/// own resume; a second live process writing the same folder is refused instead of racing the first.
public final class OutputLock: @unchecked Sendable {
    public static let fileName = ".degrade.lock"
    private var fd: Int32
    public let folder: String

    /// Takes the lock on `folder` (which must exist), or throws `OutputBusyError` naming the holder.
    public init(folder: String) throws {
        self.folder = folder
        let path = "\(folder)/\(OutputLock.fileName)"
        fd = -1
        // The file is removed on release, so the inode locked here may have been unlinked by a finishing holder
        // between open and flock: then try again on the new file.
        for _ in 0..<100 {
            let f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard f >= 0 else {
                throw WriteError(path, "cannot create the lock file: \(String(cString: strerror(errno)))")
            }
            if flock(f, LOCK_EX | LOCK_NB) != 0 {
                let holder = OutputLock.readHolder(f)
                close(f)
                throw OutputBusyError(folder: folder, pid: holder)
            }
            var held = stat(), named = stat()
            if fstat(f, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                fd = f
                break
            }
            close(f)
        }
        guard fd >= 0 else { throw WriteError(path, "the lock file keeps changing under this process; is another degrade starting and stopping there?") }
        // The holder's pid, for the message a second process prints; the lock itself is the flock.
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Creates `--out` when missing (refusing a file there, exit 2) and takes its lock.
    public static func claim(_ out: String) throws -> OutputLock {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), !isFolder.boolValue {
            throw MediaError("--out \(out)", "is a file, not a folder")
        }
        try Folder.create(out)
        return try OutputLock(folder: out)
    }

    private static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 32, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases the lock early (it is released anyway when the object goes away or the process exits). The file
    /// goes too, so a finished job leaves nothing of it behind; a killed one leaves a stale file, never a held lock.
    public func release() {
        if fd >= 0 {
            unlink("\(folder)/\(OutputLock.fileName)")
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}

/// Another live process holds the output folder's lock: bad usage (exit 2), not a failure of this run.
public struct OutputBusyError: Error, CustomStringConvertible, Sendable, Equatable {
    public let folder: String
    public let pid: Int32?

    public var description: String {
        "another degrade process is writing \(folder)" + (pid.map { " (pid \($0))" } ?? "")
            + "; wait for it to finish, or stop it and run this command again to resume"
    }
}
