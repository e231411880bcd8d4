import Foundation

/// A frame file opened for reading: its identity (from the open descriptor, so it describes the bytes read) before
/// any byte is read, which lets a cache of decoded frames answer without reading the file at all.
struct FrameFile: ~Copyable {
    let path: String
    let identity: DecodedFrameCache.Identity
    private let fd: Int32

    /// Errors say what a user can act on: "no such file", "is a directory", the system's reason.
    init(_ path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw MediaError(path, "no such file") }
            // A symlink loop or an unreachable folder is the system's reason; a file we may not read is "cannot read".
            var st = stat()
            if stat(path, &st) != 0 { throw MediaError(path, String(cString: strerror(errno))) }
            throw MediaError(path, "cannot read: \(String(cString: strerror(code)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw MediaError(path, "cannot read: \(reason)")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw MediaError(path, "is a directory, expected a PNG or JPEG frame")
        }
        self.fd = fd
        identity = DecodedFrameCache.Identity(path: path, device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                                              modified: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
    }

    deinit { close(fd) }

    /// The whole file, read in as few calls as its size allows (and on, should it have grown since it was opened).
    func bytes() throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(Int(identity.size), 0) + 1)  // the spare byte sees a file that grew
        var used = 0
        while true {
            if used == out.count { out.append(contentsOf: repeatElement(0, count: out.count)) }
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + used, $0.count - used) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MediaError(path, "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            used += n
        }
        guard used > 0 else { throw MediaError(path, "empty file (0 bytes), expected a PNG or JPEG frame") }
        out.removeLast(out.count - used)
        return out
    }
}
