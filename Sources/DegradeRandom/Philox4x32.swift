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

    /// Eight blocks at once: lane `j` of result `i` is word `i` of `block(counter: (c0[j], c1[j], c2[j], c3[j]))`,
    /// with the round keys from `withRoundKeys`. Lane-wise identical to `block`; the SIMD form lets the bulk fields
    /// compute several blocks per instruction. Computed as two `blocks4` (even and odd lanes).
    @inline(__always)
    static func blocks8(
        _ c0: SIMD8<UInt32>, _ c1: SIMD8<UInt32>, _ c2: SIMD8<UInt32>, _ c3: SIMD8<UInt32>, keys: RoundKeys
    ) -> (SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>) {
        let (e0, o0) = split(c0), (e1, o1) = split(c1), (e2, o2) = split(c2), (e3, o3) = split(c3)
        let even = blocks4(e0, e1, e2, e3, keys: keys)
        let odd = blocks4(o0, o1, o2, o3, keys: keys)
        return (join(even.0, odd.0), join(even.1, odd.1), join(even.2, odd.2), join(even.3, odd.3))
    }

    /// The ten round keys `key + r·(w0, w1)`, r = 0…9, each word broadcast to a vector: `keys[2r]`, `keys[2r + 1]`.
    /// A bulk fill computes them once; re-broadcasting twenty scalars in every group of blocks cost about a tenth
    /// of the normal field.
    typealias RoundKeys = UnsafePointer<SIMD4<UInt64>>

    static func withRoundKeys<R>(_ key: SIMD2<UInt32>, _ body: (RoundKeys) -> R) -> R {
        withUnsafeTemporaryAllocation(of: SIMD4<UInt64>.self, capacity: 20) { keys in
            for r in 0..<10 { (keys[2 * r], keys[2 * r + 1]) = broadcastRoundKey(key, r) }
            return body(UnsafePointer(keys.baseAddress!))
        }
    }

    @inline(__always)
    static func broadcastRoundKey(_ key: SIMD2<UInt32>, _ r: Int) -> (SIMD4<UInt64>, SIMD4<UInt64>) {
        let r = UInt32(truncatingIfNeeded: r)
        return (SIMD4(repeating: UInt64(key[0] &+ r &* w0)), SIMD4(repeating: UInt64(key[1] &+ r &* w1)))
    }

    /// Four blocks with every counter word in the low 32 bits of a 64-bit lane (the high bits are ignored); the
    /// result words likewise, high bits zero. Lane-wise identical to `block`.
    ///
    /// The 32×32→64 products are `vpmuludq` on these lanes as they are, so a round is two multiplies, two shifts
    /// and four XORs, and the words are never repacked between rounds (packing them as `SIMD8<UInt32>` each
    /// round cost blends, and the compiler split some lanes out to scalar code). High bits left over from the
    /// products are garbage that only the XORs see; the multiplies read the low halves. The ten rounds are
    /// written out.
    @inline(__always)
    static func blocks4(
        _ c0: SIMD4<UInt64>, _ c1: SIMD4<UInt64>, _ c2: SIMD4<UInt64>, _ c3: SIMD4<UInt64>, keys: RoundKeys
    ) -> (SIMD4<UInt64>, SIMD4<UInt64>, SIMD4<UInt64>, SIMD4<UInt64>) {
        let low = SIMD4<UInt64>(repeating: 0xFFFF_FFFF)
        var c0 = c0, c1 = c1, c2 = c2, c3 = c3
        @inline(__always) func round(_ r: Int) {
            let k0 = keys[2 &* r], k1 = keys[2 &* r &+ 1]
            let p0 = (c0 & low) &* UInt64(m0)
            let p1 = (c2 & low) &* UInt64(m1)
            let n0 = (p1 &>> 32) ^ c1 ^ k0
            let n2 = (p0 &>> 32) ^ c3 ^ k1
            c1 = p1
            c3 = p0
            c0 = n0
            c2 = n2
        }
        round(0); round(1); round(2); round(3); round(4)
        round(5); round(6); round(7); round(8); round(9)
        return (c0 & low, c1 & low, c2 & low, c3 & low)
    }

    /// Words 0, 2, 4, 6 and 1, 3, 5, 7 of `v` in the low halves of 64-bit lanes (little-endian).
    @inline(__always)
    static func split(_ v: SIMD8<UInt32>) -> (even: SIMD4<UInt64>, odd: SIMD4<UInt64>) {
        let wide = unsafeBitCast(v, to: SIMD4<UInt64>.self)
        return (wide & 0xFFFF_FFFF, wide &>> 32)
    }

    /// The inverse of `split` (for low halves with zero high halves).
    @inline(__always)
    static func join(_ even: SIMD4<UInt64>, _ odd: SIMD4<UInt64>) -> SIMD8<UInt32> {
        unsafeBitCast(even | (odd &<< 32), to: SIMD8<UInt32>.self)
    }
}
