/// FNV-1a (64-bit) over UTF-8, finished with the splitmix64 mixer: a hash that is the same on every
/// platform, process and run (Swift's `Hasher` is randomly seeded per process, so it cannot name data).
public enum StableHash {
    public static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return mix(h)
    }

    /// FNV-1a 64 over raw bytes, as 16 hex digits: the frame checksum recorded in catalogs.
    public static func checksum(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { p in
            for byte in p {
                h ^= UInt64(byte)
                h = h &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A value in [0, 1) derived from `text` and an index, for picking deterministic per-clip settings.
    public static func unit(_ text: String, _ index: UInt64) -> Double {
        Double(mix(hash(text) ^ index) >> 11) * 0x1p-53
    }
}
