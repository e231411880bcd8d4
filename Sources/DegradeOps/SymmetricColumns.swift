/// Vertical correlation with a symmetric kernel (`v[j] == v[n−1−j]`, n odd), the column pass of the separable
/// filters: with `h = (n−1)/2`,
/// `out(r, x) = Σ_{j<h} v[j]·(m(r+j, x) + m(r+n−1−j, x)) + v[h]·m(r+h, x)`, accumulated in that order with fused
/// multiply-adds (each pair summed first, then one FMA).
///
/// Folding the mirrored taps halves the multiplies, and four output rows share a sliding window of source rows
/// (two loads per tap pair instead of eight), so the loop is no longer bound by loads or FMAs alone. Every row is
/// computed with the same operations in the same order whichever block it falls in, so results depend only on
/// the data, not on the image height.
///
/// `width` is a multiple of 16; rows of `m` are `stride` Floats apart and readable up to `width`; `out` rows are
/// `outStride` apart.
func correlateColumnsSymmetric(
    rows: Int, into out: UnsafeMutablePointer<Float>, outStride: Int,
    source m: UnsafePointer<Float>, stride: Int, taps v: UnsafePointer<Float>, count n: Int, width: Int
) {
    typealias V = SIMD16<Float>
    let h = n / 2
    var y = 0
    while y &+ 4 <= rows {
        var x = 0
        while x < width {
            @inline(__always) func load(_ row: Int) -> V {
                UnsafeRawPointer(m + (row &* stride &+ x)).loadUnaligned(as: V.self)
            }
            var t0 = load(y), t1 = load(y &+ 1), t2 = load(y &+ 2), t3 = load(y &+ 3)
            var b0 = load(y &+ n &- 1), b1 = load(y &+ n), b2 = load(y &+ n &+ 1), b3 = load(y &+ n &+ 2)
            var a0 = V(), a1 = V(), a2 = V(), a3 = V()
            for j in 0..<h {
                let w = v[j]
                a0 = a0.addingProduct(t0 + b0, w)
                a1 = a1.addingProduct(t1 + b1, w)
                a2 = a2.addingProduct(t2 + b2, w)
                a3 = a3.addingProduct(t3 + b3, w)
                // Slide: the top window moves down one row, the bottom window up one row.
                t0 = t1; t1 = t2; t2 = t3; t3 = load(y &+ j &+ 4)
                b3 = b2; b2 = b1; b1 = b0; b0 = load(y &+ n &- 2 &- j)
            }
            let c = v[h]
            a0 = a0.addingProduct(t0, c)
            a1 = a1.addingProduct(t1, c)
            a2 = a2.addingProduct(t2, c)
            a3 = a3.addingProduct(t3, c)
            let o = out + (y &* outStride &+ x)
            UnsafeMutableRawPointer(o).storeBytes(of: a0, as: V.self)
            UnsafeMutableRawPointer(o + outStride).storeBytes(of: a1, as: V.self)
            UnsafeMutableRawPointer(o + 2 &* outStride).storeBytes(of: a2, as: V.self)
            UnsafeMutableRawPointer(o + 3 &* outStride).storeBytes(of: a3, as: V.self)
            x &+= 16
        }
        y &+= 4
    }
    // Remaining rows one at a time, same arithmetic.
    while y < rows {
        var x = 0
        while x < width {
            var a = V()
            for j in 0..<h {
                let topOffset: Int = (y &+ j) &* stride &+ x
                let bottomOffset: Int = (y &+ n &- 1 &- j) &* stride &+ x
                let top = UnsafeRawPointer(m + topOffset).loadUnaligned(as: V.self)
                let bottom = UnsafeRawPointer(m + bottomOffset).loadUnaligned(as: V.self)
                a = a.addingProduct(top + bottom, v[j])
            }
            let centreOffset: Int = (y &+ h) &* stride &+ x
            a = a.addingProduct(UnsafeRawPointer(m + centreOffset).loadUnaligned(as: V.self), v[h])
            let outOffset: Int = y &* outStride &+ x
            UnsafeMutableRawPointer(out + outOffset).storeBytes(of: a, as: V.self)
            x &+= 16
        }
        y &+= 1
    }
}

/// Whether `taps` (odd count) is symmetric about its centre, bit for bit.
func isSymmetric(_ taps: [Float]) -> Bool {
    let n = taps.count
    return n % 2 == 1 && (0..<(n / 2)).allSatisfy { taps[$0] == taps[n - 1 - $0] }
}
