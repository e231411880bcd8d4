import DegradeEngine
import DegradeMedia

/// Which samples a render covers: every source clip × `repeat` variants, optionally a subset of clips,
/// split across shards by position in the sorted key list.
public struct SampleSelection: Sendable, Equatable {
    public var clips: [String]?
    public var repeatCount: Int = 1
    /// 1-based shard index and count: shard i renders the samples whose position p has p % n == i − 1.
    public var shard: (index: Int, count: Int) = (1, 1)

    public init(clips: [String]? = nil, repeatCount: Int = 1, shard: (index: Int, count: Int) = (1, 1)) {
        self.clips = clips
        self.repeatCount = repeatCount
        self.shard = shard
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.clips == b.clips && a.repeatCount == b.repeatCount && a.shard == b.shard
    }

    public struct Sample: Sendable, Equatable {
        public var clip: ClipInfo
        public var variant: Int
        public var key: String
    }

    public func samples(from all: [ClipInfo]) throws -> [Sample] {
        var chosen = all
        if let clips {
            guard !clips.isEmpty else { throw InputError("--clips names no clip; list clip keys separated by commas, or leave the option out for all") }
            var seen = Set<String>()
            for k in clips where !seen.insert(k).inserted {
                throw InputError("--clips names `\(k)` twice; each clip is rendered once (use --repeat for several variants)")
            }
            chosen = try clips.map { k in
                guard let c = all.first(where: { $0.key == k }) else {
                    throw InputError("--clips names `\(k)`, which the source does not have (it has \(all.prefix(6).map(\.key).joined(separator: ", "))\(all.count > 6 ? ", …" : ""))")
                }
                return c
            }
        }
        var keys = Set<String>()
        for c in chosen {
            try SampleSelection.checkKey(c.key)
            guard keys.insert(c.key).inserted else { throw InputError("the source lists clip `\(c.key)` twice; each clip must appear once") }
        }
        let samples = chosen.flatMap { c in
            (0..<repeatCount).map { v in Sample(clip: c, variant: v, key: Planner.sampleKey(clip: c.key, variant: v)) }
        }.sorted { $0.key < $1.key }
        return samples.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }

    /// Keys become folder names and `meta_info.txt` fields: refuse anything that could escape the output folder,
    /// hide a file, or break a line-and-space separated list (control characters, white space).
    static func checkKey(_ key: String) throws {
        let printable = key.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && $0.value >= 0x20 && $0.value != 0x7f && !(0x80...0x9f).contains($0.value) }
        guard !key.isEmpty, !key.contains("/"), !key.contains("\\"), !key.hasPrefix("."), printable else {
            let shown = key.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
            throw InputError("clip key `\(shown)` cannot be used as a folder name and meta_info entry (no `/`, `\\`, leading `.`, spaces or control characters)")
        }
    }
}
