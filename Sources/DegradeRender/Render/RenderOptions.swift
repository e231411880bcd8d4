import DegradeEngine
import DegradeMedia
import Foundation

/// What, besides recipe and seed, decides a render's output: recorded in the catalog's run record, and a resumed
/// run (or another shard of the same set) must match it. The source is named by a fingerprint of its clip list,
/// not its path, since cluster nodes mount the same data at different places.
public struct RenderOptions: Codable, Sendable, Equatable {
    public var clips: [String]?
    public var frames: Int?
    public var repeatCount: Int
    public var shard: Shard
    public var source: SourceIdentity
    public var layout: SetLayout
    /// GT = scale × LQ for every pair of the set (checked as each clip is rendered).
    public var scale: Int

    enum CodingKeys: String, CodingKey {
        case clips, frames, repeatCount = "repeat", shard, source, layout, scale
    }

    public struct Shard: Codable, Sendable, Equatable, CustomStringConvertible {
        public var index: Int
        public var count: Int
        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }
        public var description: String { "\(index)/\(count)" }
    }

    public struct SourceIdentity: Codable, Sendable, Equatable {
        /// `reds`, `stills` or `pan` (as resolved from `auto`).
        public var kind: String
        /// Frames and size of camera pans (zeros for other kinds).
        public var pan: [Int]
        public var clipCount: Int
        /// Hash of every clip's key, frame count and size, in the source's order.
        public var fingerprint: String
    }

    public init(recipe: Recipe, selection: SampleSelection, spec: ClipSourceSpec, kind: ClipSourceSpec.Kind, clips: [ClipInfo],
                layout: SetLayout) {
        self.layout = layout
        self.scale = recipe.scale
        self.clips = selection.clips
        self.frames = recipe.clip.frames
        self.repeatCount = selection.repeatCount
        self.shard = Shard(index: selection.shard.index, count: selection.shard.count)
        self.source = SourceIdentity(kind: kind.rawValue, pan: kind == .pan ? [spec.panFrames, spec.panWidth, spec.panHeight] : [0, 0, 0],
                                     clipCount: clips.count, fingerprint: Self.fingerprint(clips))
    }

    public static func fingerprint(_ clips: [ClipInfo]) -> String {
        let lines = clips.map { "\($0.key)\t\($0.frameCount)\t\($0.width)\t\($0.height)" }.joined(separator: "\n")
        let h = StableHash.hash(lines)
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The canonical JSON stored in the catalog (sorted keys, so equal options give equal text).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public static func decode(_ json: String) -> RenderOptions? {
        try? JSONDecoder().decode(RenderOptions.self, from: Data(json.utf8))
    }

    /// The same options with another shard: what every shard of one set shares.
    func withShard(_ s: Shard) -> RenderOptions {
        var o = self
        o.shard = s
        return o
    }

    /// Plain words for each option that differs, e.g. `frames 3 (was 30)`.
    public func differences(from old: RenderOptions) -> [String] {
        var out: [String] = []
        func name(_ v: [String]?) -> String { v.map { $0.joined(separator: ",") } ?? "all" }
        if clips != old.clips { out.append("--clips \(name(clips)) (the set has \(name(old.clips)))") }
        if frames != old.frames { out.append("frames \(frames.map(String.init) ?? "from the recipe") (the set has \(old.frames.map(String.init) ?? "the recipe's"))") }
        if repeatCount != old.repeatCount { out.append("--repeat \(repeatCount) (the set has \(old.repeatCount))") }
        if shard != old.shard { out.append("--shard \(shard) (the set has \(old.shard))") }
        if layout.groundTruth != old.layout.groundTruth { out.append(layout.groundTruth ? "gt/ written (the set was rendered with --no-gt)" : "--no-gt (the set has gt/)") }
        if layout.gtUnsharp != old.layout.gtUnsharp { out.append(layout.gtUnsharp ? "--gt-unsharp (the set has no gt_unsharp/)" : "--no-gt-unsharp (the set has gt_unsharp/)") }
        if source.kind != old.source.kind || source.pan != old.source.pan {
            out.append("source \(source.kind) \(source.pan) (the set has \(old.source.kind) \(old.source.pan))")
        }
        if source.fingerprint != old.source.fingerprint || source.clipCount != old.source.clipCount {
            out.append("input clips: \(source.clipCount) clips, fingerprint \(source.fingerprint) (the set was rendered from \(old.source.clipCount) clips, fingerprint \(old.source.fingerprint)): another input, or the input changed")
        }
        return out
    }

    /// The options text a schema-1 catalog recorded for the same render (built exactly as that version did), so
    /// such a set can still be resumed: it held no shard or source fingerprint.
    func legacyJSON(spec: ClipSourceSpec) -> String {
        let clipList = clips.map { "[" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? "null"
        return "{\"clips\":\(clipList),\"frames\":\(frames.map(String.init) ?? "null"),\"repeat\":\(repeatCount),\"source\":\"\(spec.kind.rawValue)\",\"pan\":[\(spec.panFrames),\(spec.panWidth),\(spec.panHeight)]}"
    }
}
