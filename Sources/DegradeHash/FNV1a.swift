/// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), fed byte by byte: the one stable hash every
/// degrade module builds on. Swift's `Hasher` is seeded per process, so it cannot name data that must hash the same
/// tomorrow and on another machine. Frame checksums in catalogs, stream keys and camera pans are pinned by tests.
/// Everything is `@inlinable`: key derivation hashes strings on hot paths, and a generic call across the module
/// boundary would not be specialised.
public struct FNV1a: Sendable {
    public var value: UInt64

    /// `seed` is XORed into the offset basis (0 gives plain FNV-1a).
    @inlinable
    public init(seed: UInt64 = 0) { value = 0xcbf2_9ce4_8422_2325 ^ seed }

    @inlinable @inline(__always)
    public mutating func append(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    @inlinable
    public mutating func append(bytes: UnsafeRawBufferPointer) {
        var h = value
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        value = h
    }

    /// The string's UTF-8 bytes.
    @inlinable
    public mutating func append(utf8 text: String) {
        var t = text
        t.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Eight bytes, least significant first.
    @inlinable
    public mutating func append(word: UInt64) {
        for i in 0..<8 { append(byte: UInt8(truncatingIfNeeded: word >> (8 &* UInt64(i)))) }
    }

    /// 16 lower-case hex digits.
    public var hex: String {
        let h = String(value, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }
}
