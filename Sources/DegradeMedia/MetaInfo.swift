import Foundation

/// A BasicSR-style `meta_info` file: one clip per line, `<folder> <frame count> (<h>,<w>,<c>)`, e.g.
/// `000 100 (720,1280,3)`. It selects clips (and states what each should hold) without listing folders.
public struct MetaInfo: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var frameCount: Int
        public var height: Int
        public var width: Int
        public var channels: Int

        public init(key: String, frameCount: Int, height: Int, width: Int, channels: Int) {
            self.key = key
            self.frameCount = frameCount
            self.height = height
            self.width = width
            self.channels = channels
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public static func parse(_ text: String, path: String) throws -> MetaInfo {
        var entries: [Entry] = []
        var lineOf: [String: Int] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ", maxSplits: 2).map(String.init)
            let shape = fields.count == 3
                ? fields[2].filter { !"() ".contains($0) }.split(separator: ",").compactMap { Int($0) } : []
            guard fields.count == 3, let count = Int(fields[1]), count > 0, shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
                throw MediaError("\(path):\(n + 1)", "expected `<clip> <frame count> (<height>,<width>,<channels>)`, got `\(line)`")
            }
            if let first = lineOf[fields[0]] {
                throw MediaError("\(path):\(n + 1)", "clip `\(fields[0])` is listed again (first on line \(first)); each clip may appear once")
            }
            lineOf[fields[0]] = n + 1
            entries.append(Entry(key: fields[0], frameCount: count, height: shape[0], width: shape[1], channels: shape[2]))
        }
        return MetaInfo(entries: entries)
    }

    public static func load(_ path: String) throws -> MetaInfo {
        try parse(try FileManagerBox.readText(path), path: path)
    }

    public func render() -> String {
        entries.map { "\($0.key) \($0.frameCount) (\($0.height),\($0.width),\($0.channels))" }.joined(separator: "\n") + "\n"
    }
}

