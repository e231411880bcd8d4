/// The 64-bit Philox key of one random stream, named by (run seed, clip key, stream name).
///
/// Derivation (stable across platforms, processes and releases; pinned by tests):
/// ```
/// lp(s)  = UInt64(utf8(s).count) as 8 little-endian bytes ‖ utf8(s)
/// h      = FNV-1a-64( lp(clip) ‖ lp(stream) )
/// bits   = splitmix64( h ^ splitmix64(seed) )
/// words  = (low 32 bits of bits, high 32 bits of bits)
/// derived(name).bits = splitmix64( FNV-1a-64( bits as 8 little-endian bytes ‖ lp(name) ) )
/// ```
/// FNV-1a-64: offset basis 0xcbf29ce484222325, prime 0x100000001b3, one byte at a time. splitmix64(z):
/// `z += 0x9E3779B97F4A7C15; z = (z ^ z>>30)·0xBF58476D1CE4E5B9; z = (z ^ z>>27)·0x94D049BB133111EB; z ^ z>>31`.
/// Swift's `Hasher` is deliberately not used: it is seeded randomly per process.
///
/// Encoded (Codable) as a string of 16 lowercase hex digits of `bits`, e.g. `"0123456789abcdef"`.
public struct RandomKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The Philox key words `(k0, k1)`.
    public let words: SIMD2<UInt32>

    public init(words: SIMD2<UInt32>) {
        self.words = words
    }

    /// The key from its 64-bit value: `words = (low half, high half)`.
    public init(bits: UInt64) {
        self.words = SIMD2(UInt32(truncatingIfNeeded: bits), UInt32(truncatingIfNeeded: bits >> 32))
    }

    /// `words.y << 32 | words.x`.
    public var bits: UInt64 { UInt64(words.y) << 32 | UInt64(words.x) }

    public init(seed: UInt64, clip: String, stream: String) {
        var h = StableHash.FNV1a()
        h.append(clip)
        h.append(stream)
        self.init(bits: StableHash.splitmix64(h.value ^ StableHash.splitmix64(seed)))
    }

    /// A child key, e.g. `key.derived("frame-3")`; as stable as the parent.
    public func derived(_ name: String) -> RandomKey {
        var h = StableHash.FNV1a()
        h.append(bits)
        h.append(name)
        return RandomKey(bits: StableHash.splitmix64(h.value))
    }

    public var description: String {
        let hex = String(bits, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard text.count == 16, text.allSatisfy(\.isHexDigit), let value = UInt64(text, radix: 16) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a RandomKey is 16 hex digits, got \"\(text)\"")
        }
        self.init(bits: value)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
