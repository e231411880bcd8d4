import DegradeHash

/// Key derivation's hashing: FNV-1a 64 fed length-prefixed strings and little-endian words, finished with
/// splitmix64 (both from DegradeHash). The way fields are fed is pinned by the known-answer tests of stream keys.
enum StableHash {
    /// FNV-1a with the two ways key derivation feeds it.
    struct FNV1a {
        private var inner = DegradeHash.FNV1a()
        var value: UInt64 { inner.value }

        /// Eight bytes, least significant first.
        mutating func append(_ word: UInt64) { inner.append(word: word) }

        /// The UTF-8 byte count as a little-endian UInt64, then the bytes. The length prefix keeps
        /// ("ab", "c") and ("a", "bc") apart.
        mutating func append(_ string: String) {
            inner.append(word: UInt64(string.utf8.count))
            inner.append(utf8: string)
        }
    }

    static func splitmix64(_ x: UInt64) -> UInt64 { DegradeHash.splitmix64(x) }
}
