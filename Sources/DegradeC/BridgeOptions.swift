import DegradeEngine
import DegradeMedia
import Foundation

/// What `degrade_stream_open` is given, as JSON:
/// `{"recipe": PATH | "recipe_yaml": TEXT, "source": {"input": DIR, "kind": "auto|reds|stills|pan",
///   "meta_info": FILE, "pan_frames": N, "pan_size": [W, H]}, "seed": N, "threads": N, "samples_per_epoch": N,
///   "skip_bad_samples": BOOL}`.
/// Every key is checked; an error names its JSON path and what was expected.
struct BridgeOptions {
    var recipe: Recipe
    var source: ClipSourceSpec
    var seed: UInt64
    var threads: Int
    var samplesPerEpoch: Int?
    var skipBadSamples: Bool

    /// The JSON as written, before the recipe and source are opened.
    struct Raw: Decodable {
        var recipe: String?
        var recipe_yaml: String?
        var source: Source
        var seed: UInt64?
        var threads: Int?
        var samples_per_epoch: Int?
        var skip_bad_samples: Bool?

        struct Source: Decodable {
            var input: String
            var kind: ClipSourceSpec.Kind?
            var meta_info: String?
            var pan_frames: Int?
            var pan_size: [Int]?

            init(from decoder: Decoder) throws {
                try AnyKey.refuseUnknown(decoder, allowed: ["input", "kind", "meta_info", "pan_frames", "pan_size"])
                let c = try decoder.container(keyedBy: CodingKeys.self)
                input = try c.decode(String.self, forKey: .input)
                kind = try c.decodeIfPresent(ClipSourceSpec.Kind.self, forKey: .kind)
                meta_info = try c.decodeIfPresent(String.self, forKey: .meta_info)
                pan_frames = try c.decodeIfPresent(Int.self, forKey: .pan_frames)
                pan_size = try c.decodeIfPresent([Int].self, forKey: .pan_size)
            }
            enum CodingKeys: String, CodingKey { case input, kind, meta_info, pan_frames, pan_size }
        }

        init(from decoder: Decoder) throws {
            try AnyKey.refuseUnknown(decoder, allowed: ["recipe", "recipe_yaml", "source", "seed", "threads", "samples_per_epoch", "skip_bad_samples"])
            let c = try decoder.container(keyedBy: CodingKeys.self)
            recipe = try c.decodeIfPresent(String.self, forKey: .recipe)
            recipe_yaml = try c.decodeIfPresent(String.self, forKey: .recipe_yaml)
            source = try c.decode(Source.self, forKey: .source)
            seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
            threads = try c.decodeIfPresent(Int.self, forKey: .threads)
            samples_per_epoch = try c.decodeIfPresent(Int.self, forKey: .samples_per_epoch)
            skip_bad_samples = try c.decodeIfPresent(Bool.self, forKey: .skip_bad_samples)
        }
        enum CodingKeys: String, CodingKey { case recipe, recipe_yaml, source, seed, threads, samples_per_epoch, skip_bad_samples }
    }

    init(json text: String) throws {
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw InputError(Self.explain(error))
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("options: not valid JSON")
        }
        switch (raw.recipe, raw.recipe_yaml) {
        case let (path?, nil): recipe = try RecipeParser.load(path)
        case let (nil, text?): recipe = try RecipeParser.parse(text, file: "<recipe_yaml>")
        case (nil, nil): throw InputError("options: give `recipe` (a YAML file) or `recipe_yaml` (its text)")
        case (.some, .some): throw InputError("options: give `recipe` or `recipe_yaml`, not both")
        }
        let s = raw.source
        guard !s.input.isEmpty else { throw InputError("options.source.input: expected the source folder") }
        var spec = ClipSourceSpec(kind: s.kind ?? .auto, path: s.input, metaInfo: s.meta_info)
        if let n = s.pan_frames {
            guard n >= 1 else { throw InputError("options.source.pan_frames: expected an integer ≥ 1, got \(n)") }
            spec.panFrames = n
        }
        if let size = s.pan_size {
            guard size.count == 2, size.allSatisfy({ (1...65_536).contains($0) }) else {
                throw InputError("options.source.pan_size: expected [width, height] in 1…65536, got \(size)")
            }
            spec.panWidth = size[0]
            spec.panHeight = size[1]
        }
        source = spec
        seed = raw.seed ?? 0
        threads = raw.threads ?? 1
        guard (1...1024).contains(threads) else { throw InputError("options.threads: expected an integer in 1…1024, got \(threads)") }
        samplesPerEpoch = raw.samples_per_epoch
        if let n = samplesPerEpoch, n < 1 { throw InputError("options.samples_per_epoch: expected an integer ≥ 1, got \(n)") }
        skipBadSamples = raw.skip_bad_samples ?? false
    }

    /// A decoding failure as the JSON path and what was expected (never Foundation's own wording).
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.reduce("options") { p, k in k.intValue.map { "\(p)[\($0)]" } ?? "\(p).\(k.stringValue)" }
        }
        switch error {
        case let .typeMismatch(type, c), let .valueNotFound(type, c):
            return "\(path(c.codingPath)): expected \(describe(type))"
        case let .keyNotFound(key, c):
            return "\(path(c.codingPath + [key])): missing"
        case let .dataCorrupted(c):
            if c.codingPath.last?.stringValue == "kind" {
                return "\(path(c.codingPath)): expected one of \(ClipSourceSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
            }
            return c.codingPath.isEmpty ? "options: not valid JSON" : "\(path(c.codingPath)): \(c.debugDescription)"
        @unknown default:
            return "options: unreadable"
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is UInt64.Type: return "a non-negative integer"
        case is [Int].Type: return "a list of integers"
        default: return "a JSON object"
        }
    }
}

/// Lists an object's keys so unknown ones are refused by name (a typo must not be silently ignored).
typealias AnyKey = NamedCodingKey

extension NamedCodingKey {
    static func refuseUnknown(_ decoder: Decoder, allowed: [String]) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = c.allKeys.map(\.stringValue).filter({ !allowed.contains($0) }).sorted().first {
            let at = (decoder.codingPath.map(\.stringValue)).reduce("options") { "\($0).\($1)" }
            throw InputError("\(at): unknown key `\(unknown)` (allowed: \(allowed.joined(separator: ", ")))")
        }
    }
}
