/// Mutations of binary files (PNG/JPEG frames, SQLite databases): truncation, bit flips, overwritten runs,
/// forged PNG header sizes and emptied files.
enum ByteMutator {
    static func mutate(_ input: [UInt8], rng: inout FuzzRandom) -> ([UInt8], String) {
        var b = input
        guard !b.isEmpty else { return (b, "empty already") }
        switch rng.below(6) {
        case 0:
            let keep = rng.below(b.count)
            return (Array(b.prefix(keep)), "truncated to \(keep) of \(b.count) bytes")
        case 1:
            let flips = 1 + rng.below(16)
            for _ in 0..<flips { b[rng.below(b.count)] ^= UInt8(1 << rng.below(8)) }
            return (b, "\(flips) bit flips")
        case 2:
            let at = rng.below(b.count), n = min(b.count - at, 1 + rng.below(64))
            for i in at..<(at + n) { b[i] = UInt8(truncatingIfNeeded: rng.next()) }
            return (b, "\(n) random bytes at \(at)")
        case 3 where b.count > 24 && b[1] == 0x50:  // PNG: IHDR width/height at bytes 16…23
            let v = rng.pick([UInt32(0), 1, 65535, 65536, 0x7FFF_FFFF, 0xFFFF_FFFF, 100_000])
            let field = rng.chance(0.5) ? 16 : 20
            for i in 0..<4 { b[field + i] = UInt8((v >> (24 - 8 * UInt32(i))) & 0xff) }
            return (b, "PNG \(field == 16 ? "width" : "height") forged to \(v)")
        case 4:
            let at = rng.below(b.count)
            return (Array(b[..<at]) + Array(b[at...]) + Array(b[at...].prefix(4096)), "4 kB repeated at \(at)")
        default:
            return ([], "emptied")
        }
    }
}
