/// The transpose of one plane with optional flips, in 8×8 blocks of SIMD registers: a sample-by-sample transpose
/// writes every output sample to another row (one scalar store per sample, each a line apart), which made the GT's
/// orientation cost as much as a small blur. Pure data movement: the output holds the input's samples exactly.
enum PlaneTranspose {
    /// `dst[x·h + y] = src[sy·w + sx]` for x < w, y < h, with `sx = hflip ? w−1−x : x`, `sy = vflip ? h−1−y : y`:
    /// horizontal flip, then vertical flip, then transpose of a `w × h` plane (the output is `h` wide).
    static func run(_ src: UnsafePointer<Float>, width w: Int, height h: Int, hflip: Bool, vflip: Bool,
                    into dst: UnsafeMutablePointer<Float>) {
        let w8 = w & ~7, h8 = h & ~7
        @inline(__always) func sourceRow(_ y: Int) -> UnsafePointer<Float> { src + (vflip ? h &- 1 &- y : y) &* w }
        for y0 in Swift.stride(from: 0, to: h8, by: 8) {
            let rows = (0..<8).map { sourceRow(y0 &+ $0) }
            rows.withUnsafeBufferPointer { r in
                for x0 in Swift.stride(from: 0, to: w8, by: 8) {
                    // Output rows x0…x0+7 read source columns x0…x0+7, or w−8−x0…w−1−x0 backwards when flipped.
                    let column = hflip ? w &- 8 &- x0 : x0
                    @inline(__always) func load(_ i: Int) -> SIMD8<Float> {
                        let v = UnsafeRawPointer(r[i] + column).loadUnaligned(as: SIMD8<Float>.self)
                        return hflip ? SIMD8(v[7], v[6], v[5], v[4], v[3], v[2], v[1], v[0]) : v
                    }
                    let t = transpose8(load(0), load(1), load(2), load(3), load(4), load(5), load(6), load(7))
                    let o = dst + (x0 &* h &+ y0)
                    UnsafeMutableRawPointer(o).storeBytes(of: t.0, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(o + h).storeBytes(of: t.1, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(o + 2 &* h).storeBytes(of: t.2, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(o + 3 &* h).storeBytes(of: t.3, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(o + 4 &* h).storeBytes(of: t.4, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(o + 5 &* h).storeBytes(of: t.5, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(o + 6 &* h).storeBytes(of: t.6, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(o + 7 &* h).storeBytes(of: t.7, as: SIMD8<Float>.self)
                }
            }
        }
        // The ragged right columns (every y) and bottom rows (x inside the blocks), sample by sample.
        for y in 0..<h {
            let row = sourceRow(y)
            let xs = y < h8 ? w8..<w : 0..<w
            for x in xs { dst[x &* h &+ y] = row[hflip ? w &- 1 &- x : x] }
        }
    }

    /// The transpose of the 8×8 block whose rows are `r0…r7`: result row i holds lane i of every input row. Three
    /// rounds of two-register shuffles (pairs of lanes, pairs of pairs, halves), which the compiler maps onto
    /// unpack and lane-permute instructions.
    @inline(__always)
    static func transpose8(
        _ r0: SIMD8<Float>, _ r1: SIMD8<Float>, _ r2: SIMD8<Float>, _ r3: SIMD8<Float>,
        _ r4: SIMD8<Float>, _ r5: SIMD8<Float>, _ r6: SIMD8<Float>, _ r7: SIMD8<Float>
    ) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        typealias V = SIMD8<Float>
        @inline(__always) func low(_ a: V, _ b: V) -> V { V(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5]) }
        @inline(__always) func high(_ a: V, _ b: V) -> V { V(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7]) }
        @inline(__always) func lowPairs(_ a: V, _ b: V) -> V { V(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5]) }
        @inline(__always) func highPairs(_ a: V, _ b: V) -> V { V(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7]) }
        @inline(__always) func lowHalves(_ a: V, _ b: V) -> V { V(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]) }
        @inline(__always) func highHalves(_ a: V, _ b: V) -> V { V(a[4], a[5], a[6], a[7], b[4], b[5], b[6], b[7]) }
        let a0 = low(r0, r1), a1 = high(r0, r1), a2 = low(r2, r3), a3 = high(r2, r3)
        let a4 = low(r4, r5), a5 = high(r4, r5), a6 = low(r6, r7), a7 = high(r6, r7)
        let b0 = lowPairs(a0, a2), b1 = highPairs(a0, a2), b2 = lowPairs(a1, a3), b3 = highPairs(a1, a3)
        let b4 = lowPairs(a4, a6), b5 = highPairs(a4, a6), b6 = lowPairs(a5, a7), b7 = highPairs(a5, a7)
        return (lowHalves(b0, b4), lowHalves(b1, b5), lowHalves(b2, b6), lowHalves(b3, b7),
                highHalves(b0, b4), highHalves(b1, b5), highHalves(b2, b6), highHalves(b3, b7))
    }
}
