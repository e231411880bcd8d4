#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read  // the method name `read` below would shadow it
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// Reads a recipe or config file as UTF-8 text, at most `RecipeLimits.maxBytes` of it: a huge file, a device
/// (`/dev/zero`) or a folder is refused with a RecipeError naming the file, never read without end.
public enum RecipeText {
    public static func read(_ path: String, limit: Int = RecipeLimits.maxBytes) throws -> String {
        func fail(_ message: String, line: Int? = nil) -> RecipeError {
            RecipeError(file: path, line: line, key: "", message: message)
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw fail("cannot read the file: \(String(cString: strerror(errno)))") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw fail("is a folder, not a YAML file") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw fail("cannot read the file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // Read one byte past the limit, so a file exactly at the limit is accepted and a longer one is not.
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("cannot read the file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            count += n
        }
        guard count <= limit else {
            throw fail("the file is larger than the limit of \(limit) bytes for recipes and configs (they are a few kB)")
        }
        return try decode(Array(bytes[..<count]), file: path)
    }

    /// UTF-8 text, or an error naming the line and byte offset of the first byte that is not UTF-8.
    public static func decode(_ bytes: [UInt8], file: String) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        // Slow path, only to locate the first bad byte.
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0, line = 1
        loop: while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1 }
            case .emptyInput:
                break loop
            case .error:
                let bad = offset < bytes.count ? String(bytes[offset], radix: 16, uppercase: true) : "?"
                throw RecipeError(file: file, line: line, key: "",
                                  message: "not UTF-8 text: byte 0x\(bad) at offset \(offset) is not valid UTF-8 (save the file as UTF-8)")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
