import Foundation

/// TensorBoard's event-file format, written by hand: TFRecord framing (little-endian UInt64 length, masked CRC-32C
/// of the length, the bytes, masked CRC-32C of the bytes) around protobuf `Event` messages (tensorflow/core/util/
/// event.proto) with only the fields scalars need: `wall_time` (1, double), `step` (2, int64), `file_version` (3,
/// string) and `summary` (5) holding `Summary.value` (1) entries of `tag` (1, string) and `simple_value` (2, float).
public enum TensorBoardEvents {
    /// The first record of every file, which readers check.
    public static let fileVersion = "brain.Event:2"

    /// One framed record around `payload`.
    public static func record(_ payload: [UInt8]) -> [UInt8] {
        var length = [UInt8]()
        appendFixed64(&length, UInt64(payload.count))
        var out = length
        appendFixed32(&out, CRC32C.masked(length))
        out += payload
        appendFixed32(&out, CRC32C.masked(payload))
        return out
    }

    /// An `Event` with `file_version` set.
    public static func versionEvent(wallTime: Double) -> [UInt8] {
        var e = [UInt8]()
        appendTag(&e, field: 1, wire: 1)
        appendFixed64(&e, wallTime.bitPattern)
        appendTag(&e, field: 3, wire: 2)
        appendBytes(&e, Array(fileVersion.utf8))
        return e
    }

    /// An `Event` carrying scalar summaries (TensorBoard stores `simple_value` as a 32-bit float).
    public static func scalarEvent(wallTime: Double, step: Int, scalars: [(tag: String, value: Double)]) -> [UInt8] {
        var summary = [UInt8]()
        for (tag, value) in scalars {
            var v = [UInt8]()
            appendTag(&v, field: 1, wire: 2)
            appendBytes(&v, Array(tag.utf8))
            appendTag(&v, field: 2, wire: 5)
            appendFixed32(&v, Float(value).bitPattern)
            appendTag(&summary, field: 1, wire: 2)
            appendBytes(&summary, v)
        }
        var e = [UInt8]()
        appendTag(&e, field: 1, wire: 1)
        appendFixed64(&e, wallTime.bitPattern)
        appendTag(&e, field: 2, wire: 0)
        appendVarint(&e, UInt64(bitPattern: Int64(step)))
        appendTag(&e, field: 5, wire: 2)
        appendBytes(&e, summary)
        return e
    }

    /// The payloads of the whole records in `bytes` whose CRCs check; stops at the first torn or damaged record
    /// (an interrupted append leaves at most one, at the end).
    public static func payloads(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = [], i = 0
        while i + 12 <= bytes.count {
            let lengthBytes = bytes[i..<(i + 8)]
            let length = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard fixed32(bytes, i + 8) == CRC32C.masked(lengthBytes), length <= UInt64(bytes.count - i - 16) else { break }
            let start = i + 12, end = start + Int(length)
            let payload = Array(bytes[start..<end])
            guard fixed32(bytes, end) == CRC32C.masked(payload) else { break }
            out.append(payload)
            i = end + 4
        }
        return out
    }

    /// `step` of an `Event` payload, nil when it has none (the version record) or does not parse.
    public static func step(ofEvent e: [UInt8]) -> Int? {
        var i = 0
        while i < e.count {
            guard let (key, next) = varint(e, i) else { return nil }
            i = next
            switch key & 7 {
            case 0:
                guard let (v, n) = varint(e, i) else { return nil }
                if key >> 3 == 2 { return Int(truncatingIfNeeded: Int64(bitPattern: v)) }
                i = n
            case 1: i += 8
            case 5: i += 4
            case 2:
                guard let (len, n) = varint(e, i), len <= UInt64(e.count - n) else { return nil }
                i = n + Int(len)
            default: return nil
            }
        }
        return nil
    }

    static func fixed32(_ b: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[at + $1]) << (8 * UInt32($1)) }
    }

    static func varint(_ b: [UInt8], _ at: Int) -> (UInt64, Int)? {
        var v: UInt64 = 0, shift: UInt64 = 0, i = at
        while i < b.count, shift < 64 {
            v |= UInt64(b[i] & 0x7F) << shift
            i += 1
            if b[i - 1] & 0x80 == 0 { return (v, i) }
            shift += 7
        }
        return nil
    }

    static func appendTag(_ out: inout [UInt8], field: Int, wire: Int) { appendVarint(&out, UInt64(field << 3 | wire)) }

    static func appendVarint(_ out: inout [UInt8], _ value: UInt64) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func appendBytes(_ out: inout [UInt8], _ bytes: [UInt8]) {
        appendVarint(&out, UInt64(bytes.count))
        out += bytes
    }

    static func appendFixed32(_ out: inout [UInt8], _ v: UInt32) { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) } }
    static func appendFixed64(_ out: inout [UInt8], _ v: UInt64) { for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
}
