/// Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel Random Numbers: As Easy as 1, 2, 3", SC'11), with the
/// Random123 reference round constants and key schedule.
///
/// A counter-based generator: the output is a pure function of (counter, key), so any draw can be computed without
/// generating the ones before it. That is what makes every random value of a clip independent of thread count, order
/// and sharding.
///
/// One round on counter `(c0,c1,c2,c3)` with key `(k0,k1)`, where `(hi,lo)` are the halves of a 64-bit product:
/// `(hi0,lo0) = 0xD2511F53·c0`, `(hi1,lo1) = 0xCD9E8D57·c2`, new counter `(hi1^c1^k0, lo1, hi0^c3^k1, lo0)`.
/// Before every round but the first the key is bumped by the Weyl constants `(0x9E3779B9, 0xBB67AE85)`. Ten rounds.
enum Philox4x32 {
    static let m0: UInt32 = 0xD251_1F53
    static let m1: UInt32 = 0xCD9E_8D57
    static let w0: UInt32 = 0x9E37_79B9
    static let w1: UInt32 = 0xBB67_AE85

    /// The 128-bit output block for one counter value.
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        var c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3]
        var k0 = key[0], k1 = key[1]
        for round in 0..<10 {
            if round > 0 { k0 = k0 &+ w0; k1 = k1 &+ w1 }
            let p0 = UInt64(m0) &* UInt64(c0)
            let p1 = UInt64(m1) &* UInt64(c2)
            let n0 = UInt32(truncatingIfNeeded: p1 >> 32) ^ c1 ^ k0
            let n2 = UInt32(truncatingIfNeeded: p0 >> 32) ^ c3 ^ k1
            c1 = UInt32(truncatingIfNeeded: p1)
            c3 = UInt32(truncatingIfNeeded: p0)
            c0 = n0
            c2 = n2
        }
        return SIMD4(c0, c1, c2, c3)
    }

    /// Eight blocks at once: lane `j` of result `i` is word `i` of `block(counter: (c0[j], c1[j], c2[j], c3[j]))`.
    /// Lane-wise identical to `block`; the SIMD form lets the bulk fields compute several blocks per instruction.
    @inline(__always)
    static func blocks8(
        _ c0: SIMD8<UInt32>, _ c1: SIMD8<UInt32>, _ c2: SIMD8<UInt32>, _ c3: SIMD8<UInt32>, key: SIMD2<UInt32>
    ) -> (SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>) {
        var c0 = c0, c1 = c1, c2 = c2, c3 = c3
        var k0 = key[0], k1 = key[1]
        for round in 0..<10 {
            if round > 0 { k0 = k0 &+ w0; k1 = k1 &+ w1 }
            let (hi0, lo0) = multiplyFull(c0, by: m0)
            let (hi1, lo1) = multiplyFull(c2, by: m1)
            let n0 = hi1 ^ c1 ^ SIMD8(repeating: k0)
            let n2 = hi0 ^ c3 ^ SIMD8(repeating: k1)
            c1 = lo1
            c3 = lo0
            c0 = n0
            c2 = n2
        }
        return (c0, c1, c2, c3)
    }

    /// The 64-bit products `c[j]·m` as high and low words. Computed on the same bits seen as four 64-bit lanes, even
    /// and odd words apart, so the multiplies are 32×32→64 (`vpmuludq`); widening to `SIMD8<UInt64>` instead goes
    /// through Swift's generic lane-by-lane conversions.
    @inline(__always)
    static func multiplyFull(_ c: SIMD8<UInt32>, by m: UInt32) -> (hi: SIMD8<UInt32>, lo: SIMD8<UInt32>) {
        let v = unsafeBitCast(c, to: SIMD4<UInt64>.self)
        let low = SIMD4<UInt64>(repeating: 0xFFFF_FFFF)
        let even = (v & low) &* UInt64(m)   // words 0, 2, 4, 6 (the low halves, little-endian)
        let odd = (v &>> 32) &* UInt64(m)   // words 1, 3, 5, 7
        let lo = (even & low) | (odd &<< 32)
        let hi = (even &>> 32) | (odd & ~low)
        return (unsafeBitCast(hi, to: SIMD8<UInt32>.self), unsafeBitCast(lo, to: SIMD8<UInt32>.self))
    }
}
