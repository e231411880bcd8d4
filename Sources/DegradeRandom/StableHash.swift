/// Platform- and run-independent 64-bit hashing for key derivation.
///
/// Swift's `Hasher` is seeded randomly per process, so it cannot name a random stream that must be the same tomorrow
/// and on another machine. These functions are fully specified here and pinned by tests.
enum StableHash {
    /// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), fed byte by byte.
    struct FNV1a {
        private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func append(byte: UInt8) {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }

        /// Eight bytes, least significant first.
        mutating func append(_ word: UInt64) {
            for i in 0..<8 { append(byte: UInt8(truncatingIfNeeded: word >> (8 &* UInt64(i)))) }
        }

        /// The UTF-8 byte count as a little-endian UInt64, then the bytes. The length prefix keeps
        /// ("ab", "c") and ("a", "bc") apart.
        mutating func append(_ string: String) {
            append(UInt64(string.utf8.count))
            for b in string.utf8 { append(byte: b) }
        }
    }

    /// The splitmix64 output function (Steele, Lea & Flood 2014), including its golden-ratio increment so that 0 does
    /// not map to 0: `z += 0x9E3779B97F4A7C15; z = (z ^ z>>30)·0xBF58476D1CE4E5B9; z = (z ^ z>>27)·0x94D049BB133111EB;
    /// return z ^ z>>31` (all mod 2⁶⁴).
    static func splitmix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
