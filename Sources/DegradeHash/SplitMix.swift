/// The splitmix64 output function (Steele, Lea & Flood 2014), including its golden-ratio increment so that 0 does not
/// map to 0: `z += 0x9E3779B97F4A7C15; z = (z ^ z>>30)·0xBF58476D1CE4E5B9; z = (z ^ z>>27)·0x94D049BB133111EB;
/// return z ^ z>>31` (all mod 2⁶⁴). A finaliser for hashes and, stepped, a tiny generator (`SplitMix64`).
@inlinable @inline(__always)
public func splitmix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
