import Foundation

/// Where an output folder may go: never onto, into or around what a job reads. Paths are compared after
/// resolving symlinks (of the longest existing prefix, so an output that does not exist yet still counts).
public enum PathOverlap {
    /// The absolute path with `.`/`..` folded and every symlink of its existing part resolved.
    public static func resolved(_ path: String) -> String {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var tail: [String] = []
        // Resolve the deepest ancestor that exists; keep the rest as written.
        while !FileManager.default.fileExists(atPath: url.path) && url.path != "/" {
            tail.insert(url.lastPathComponent, at: 0)
            url = url.deletingLastPathComponent()
        }
        var base = url.resolvingSymlinksInPath().path
        if base == "/" { base = "" }
        return tail.isEmpty ? (base.isEmpty ? "/" : base) : base + "/" + tail.joined(separator: "/")
    }

    /// `a` is `b` or lies inside it.
    static func isWithin(_ a: String, _ b: String) -> Bool {
        a == b || b == "/" || a.hasPrefix(b + "/")
    }

    /// Refuses an output that is, contains, or lies inside any input (named by the option that gave it).
    /// - Throws: `OutputOverlapError`.
    public static func check(output: String, outputOption: String = "--out", inputs: [(option: String, path: String)]) throws {
        let out = resolved(output)
        if out == "/" { throw OutputOverlapError(message: "\(outputOption) \(output) is the root folder; name a folder of its own") }
        for input in inputs {
            let inp = resolved(input.path)
            if isWithin(out, inp) || isWithin(inp, out) {
                let relation = out == inp ? "is the same folder as" : isWithin(out, inp) ? "lies inside" : "contains"
                throw OutputOverlapError(message: "\(outputOption) \(output) \(relation) \(input.option) \(input.path); degrade never writes where it reads: choose an output folder outside the input")
            }
        }
    }
}

/// An output path that overlaps an input: refused before anything is touched (exit 2).
public struct OutputOverlapError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public var description: String { message }
}
