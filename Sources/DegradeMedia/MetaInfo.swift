import Foundation

/// A `meta_info` / annotation file listing clips. Three forms are in use, and all three are read:
///
/// - `basicsr`: `<clip> <frame count> (<h>,<w>,<c>)` per clip, e.g. `000 100 (720,1280,3)` — BasicSR's REDS and
///   video datasets (and degrade's default output);
/// - `mmedit`: `<clip> <frame count>`, e.g. `calendar 41` — mmedit 0.x `SRFolderMultipleGTDataset`, which splits each
///   line into exactly two fields;
/// - `mmagic`: one line per frame, `<clip>/<frame file> (<h>, <w>, <c>)`, e.g. `000/00000000.png (720, 1280, 3)` —
///   mmagic 1.x `BasicFramesDataset` annotations (it keeps the first field of each line).
public struct MetaInfo: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable, Codable {
        case basicsr, mmedit, mmagic
    }

    public struct Entry: Sendable, Equatable {
        public var key: String
        public var frameCount: Int
        /// The frame size, when the form states it (`mmedit` lines do not).
        public var height: Int?
        public var width: Int?
        public var channels: Int?
        /// Frame file names, for the `mmagic` form (written in this order).
        public var frameNames: [String]?

        public init(key: String, frameCount: Int, height: Int?, width: Int?, channels: Int?, frameNames: [String]? = nil) {
            self.key = key
            self.frameCount = frameCount
            self.height = height
            self.width = width
            self.channels = channels
            self.frameNames = frameNames
        }
    }

    public var entries: [Entry]
    /// The form the file was read in (the `basicsr` form for a file with no entries).
    public var format: Format

    public init(entries: [Entry], format: Format = .basicsr) {
        self.entries = entries
        self.format = format
    }

    public static func parse(_ text: String, path: String) throws -> MetaInfo {
        var entries: [Entry] = []
        var lineOf: [String: Int] = [:]
        var format: Format?
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let here = "\(path):\(n + 1)"
            let (first, rest) = split(line)
            let shape = try rest.flatMap { try parseShape(afterCount: $0, at: here, line: line) }
            let lineFormat: Format
            var count = 1
            // A frame path with no count after it is the mmagic form; anything with a count is a clip line.
            if first.contains("/") && (rest == nil || rest!.hasPrefix("(")) {
                lineFormat = .mmagic
            } else {
                guard let r = rest, let c = Int(r.split(separator: " ").first ?? ""), c > 0 else {
                    throw MediaError(here, "expected `<clip> <frame count> (<height>,<width>,<channels>)` (BasicSR), `<clip> <frame count>` (mmedit) or `<clip>/<frame> (<h>, <w>, <c>)` (mmagic), got `\(line)`")
                }
                count = c
                lineFormat = shape == nil ? .mmedit : .basicsr
            }
            if let f = format, f != lineFormat, !(f == .basicsr && lineFormat == .mmedit) && !(f == .mmedit && lineFormat == .basicsr) {
                throw MediaError(here, "this line is in the \(lineFormat.rawValue) form, earlier lines in the \(f.rawValue) form; use one form per file")
            }
            format = format == .basicsr ? .basicsr : lineFormat
            if lineFormat == .mmagic {
                let parts = first.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw MediaError(here, "expected `<clip>/<frame file>`, got `\(first)`")
                }
                if let i = entries.lastIndex(where: { $0.key == parts[0] }) {
                    guard i == entries.count - 1 else {
                        throw MediaError(here, "frames of clip `\(parts[0])` are listed apart (first on line \(lineOf[parts[0]]!)); list each clip's frames together")
                    }
                    if entries[i].frameNames?.contains(parts[1]) == true {
                        throw MediaError(here, "frame `\(first)` is listed again")
                    }
                    entries[i].frameCount += 1
                    entries[i].frameNames?.append(parts[1])
                    if let s = shape, entries[i].height != s.h || entries[i].width != s.w {
                        throw MediaError(here, "frame `\(first)` is listed as \(s.w)×\(s.h), earlier frames of the clip as \(entries[i].width ?? 0)×\(entries[i].height ?? 0)")
                    }
                    continue
                }
                lineOf[parts[0]] = n + 1
                entries.append(Entry(key: parts[0], frameCount: 1, height: shape?.h, width: shape?.w, channels: shape?.c, frameNames: [parts[1]]))
                continue
            }
            if let earlier = lineOf[first] {
                throw MediaError(here, "clip `\(first)` is listed again (first on line \(earlier)); each clip may appear once")
            }
            lineOf[first] = n + 1
            entries.append(Entry(key: first, frameCount: count, height: shape?.h, width: shape?.w, channels: shape?.c))
        }
        return MetaInfo(entries: entries, format: format ?? .basicsr)
    }

    /// The first field, and the rest of the line (nil when there is none).
    private static func split(_ line: String) -> (String, String?) {
        guard let space = line.firstIndex(of: " ") else { return (line, nil) }
        return (String(line[..<space]), line[space...].trimmingCharacters(in: .whitespaces))
    }

    /// `(h,w,c)` or `(h, w, c)` at the end of `rest` (after an optional count); nil when there is none.
    private static func parseShape(afterCount rest: String, at here: String, line: String) throws -> (h: Int, w: Int, c: Int)? {
        guard let open = rest.firstIndex(of: "(") else {
            // Only a count: the mmedit form. Anything else after it is an error.
            guard rest.split(separator: " ").count == 1 else {
                throw MediaError(here, "expected `<clip> <frame count> (<height>,<width>,<channels>)`, got `\(line)`")
            }
            return nil
        }
        let inner = rest[rest.index(after: open)...]
        guard inner.hasSuffix(")") else { throw MediaError(here, "the size `\(rest[open...])` has no closing `)`") }
        let values = inner.dropLast().split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 3, let h = values[0], let w = values[1], let c = values[2], h > 0, w > 0, c > 0 else {
            throw MediaError(here, "expected a size `(<height>,<width>,<channels>)` of positive integers, got `\(rest[open...])`")
        }
        return (h, w, c)
    }

    public static func load(_ path: String) throws -> MetaInfo {
        try parse(try FileManagerBox.readText(path), path: path)
    }

    /// The file's text in `format` (default: the form it was read in).
    public func render(_ format: Format? = nil) -> String {
        var lines: [String] = []
        for e in entries {
            let size = "\(e.height ?? 0),\(e.width ?? 0),\(e.channels ?? 3)"
            switch format ?? self.format {
            case .basicsr: lines.append("\(e.key) \(e.frameCount) (\(size))")
            case .mmedit: lines.append("\(e.key) \(e.frameCount)")
            case .mmagic:
                let names = e.frameNames ?? (0..<e.frameCount).map { String(format: "%08d.png", $0) }
                for name in names {
                    lines.append("\(e.key)/\(name) (\(e.height ?? 0), \(e.width ?? 0), \(e.channels ?? 3))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
