import DegradeHash

/// Names for data that must be the same on every platform, process and run: FNV-1a 64 over UTF-8 finished with
/// splitmix64 (`hash`), and the frame checksum recorded in catalogs (`checksum`: FNV-1a 64 of the file, in hex).
public enum StableHash {
    public static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var h = FNV1a(seed: seed)
        h.append(utf8: text)
        return mix(h.value)
    }

    /// FNV-1a 64 over raw bytes, as 16 hex digits: the frame checksum recorded in catalogs.
    public static func checksum(_ bytes: [UInt8]) -> String {
        var h = FNV1a()
        bytes.withUnsafeBytes { h.append(bytes: $0) }
        return h.hex
    }

    public static func mix(_ value: UInt64) -> UInt64 { splitmix64(value) }

    /// A value in [0, 1) derived from `text` and an index, for picking deterministic per-clip settings.
    public static func unit(_ text: String, _ index: UInt64) -> Double {
        Double(mix(hash(text) ^ index) >> 11) * 0x1p-53
    }
}
