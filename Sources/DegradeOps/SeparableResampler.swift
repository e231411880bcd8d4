/// Runs a `ResizeTaps` pair on one plane: horizontal pass into a row buffer, then vertical pass along rows.
///
/// Operation order per output follows OpenCV's float path (no fused multiply-add):
/// - x, 2 taps: `s[i0]·w0 + s[i1]·w1`; 4 taps: `((s[i0]·w0 + s[i1]·w1) + s[i2]·w2) + s[i3]·w3`;
/// - y, 2 taps: `r0·b0 + r1·b1`; 4 taps: `r0·b0 + (r1·b1 + (r2·b2 + r3·b3))` (its vectorised body's order).
enum SeparableResampler {
    /// - Parameters:
    ///   - rows: scratch of `sourceHeight × x.count` floats; only rows that `y` references are filled.
    static func run(_ src: UnsafePointer<Float>, sourceWidth: Int, sourceHeight: Int,
                    x: ResizeTaps, y: ResizeTaps, rows: UnsafeMutablePointer<Float>,
                    into dst: UnsafeMutablePointer<Float>) {
        var needed = [Bool](repeating: false, count: sourceHeight)
        for r in y.index { needed[r] = true }
        for r in 0..<sourceHeight where needed[r] {
            horizontal(src + r * sourceWidth, x, into: rows + r * x.count)
        }
        vertical(rows, width: x.count, y, into: dst)
    }

    private static func horizontal(_ s: UnsafePointer<Float>, _ x: ResizeTaps, into o: UnsafeMutablePointer<Float>) {
        x.index.withUnsafeBufferPointer { idx in
            x.weight.withUnsafeBufferPointer { w in
                let n = x.count
                var d = 0
                if x.taps == 2 {
                    while d < x.copyFrom {
                        let k = d &* 2
                        o[d] = s[idx[k]] * w[k] + s[idx[k &+ 1]] * w[k &+ 1]
                        d &+= 1
                    }
                    while d < n {
                        o[d] = s[idx[d &* 2]]
                        d &+= 1
                    }
                } else {
                    while d < n {
                        let k = d &* 4
                        let a = s[idx[k]] * w[k] + s[idx[k &+ 1]] * w[k &+ 1]
                        let b = a + s[idx[k &+ 2]] * w[k &+ 2]
                        o[d] = b + s[idx[k &+ 3]] * w[k &+ 3]
                        d &+= 1
                    }
                }
            }
        }
    }

    private static func vertical(_ rows: UnsafeMutablePointer<Float>, width n: Int, _ y: ResizeTaps,
                                 into dst: UnsafeMutablePointer<Float>) {
        y.index.withUnsafeBufferPointer { idx in
            y.weight.withUnsafeBufferPointer { w in
                for dy in 0..<y.count {
                    let k = dy &* y.taps
                    let o = dst + dy &* n
                    if y.taps == 2 {
                        linearRow(rows + idx[k] &* n, rows + idx[k &+ 1] &* n, w[k], w[k &+ 1], n, o)
                    } else {
                        cubicRow(rows + idx[k] &* n, rows + idx[k &+ 1] &* n, rows + idx[k &+ 2] &* n,
                                 rows + idx[k &+ 3] &* n, w[k], w[k &+ 1], w[k &+ 2], w[k &+ 3], n, o)
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func linearRow(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ b0: Float, _ b1: Float,
                                  _ n: Int, _ o: UnsafeMutablePointer<Float>) {
        let v0 = SIMD16<Float>(repeating: b0), v1 = SIMD16<Float>(repeating: b1)
        var x = 0
        while x &+ 16 <= n {
            let s = load(r0 + x) * v0 + load(r1 + x) * v1
            UnsafeMutableRawPointer(o + x).storeBytes(of: s, as: SIMD16<Float>.self)
            x &+= 16
        }
        while x < n {
            o[x] = r0[x] * b0 + r1[x] * b1
            x &+= 1
        }
    }

    @inline(__always)
    private static func cubicRow(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                                 _ r3: UnsafePointer<Float>, _ b0: Float, _ b1: Float, _ b2: Float, _ b3: Float,
                                 _ n: Int, _ o: UnsafeMutablePointer<Float>) {
        let v0 = SIMD16<Float>(repeating: b0), v1 = SIMD16<Float>(repeating: b1)
        let v2 = SIMD16<Float>(repeating: b2), v3 = SIMD16<Float>(repeating: b3)
        var x = 0
        while x &+ 16 <= n {
            let inner = load(r2 + x) * v2 + load(r3 + x) * v3
            let s = load(r0 + x) * v0 + (load(r1 + x) * v1 + inner)
            UnsafeMutableRawPointer(o + x).storeBytes(of: s, as: SIMD16<Float>.self)
            x &+= 16
        }
        while x < n {
            let inner = r2[x] * b2 + r3[x] * b3
            o[x] = r0[x] * b0 + (r1[x] * b1 + inner)
            x &+= 1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }
}
