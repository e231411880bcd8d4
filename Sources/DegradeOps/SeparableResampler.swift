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

    /// Outputs in `x.contiguous` read their taps as one run of consecutive samples, so a block of them loads each
    /// run whole, multiplies by the weights in their stored layout and adds the products per output in the order
    /// above (lanes are outputs): the same arithmetic as the scalar loop, which keeps the ragged ends.
    private static func horizontal(_ s: UnsafePointer<Float>, _ x: ResizeTaps, into o: UnsafeMutablePointer<Float>) {
        x.index.withUnsafeBufferPointer { idx in
            x.weight.withUnsafeBufferPointer { w in
                let n = x.count
                let fast = x.contiguous
                var d = 0
                if x.taps == 2 {
                    while d < x.copyFrom {
                        if d == fast.lowerBound {
                            while d &+ 8 <= fast.upperBound {
                                linearBlock(s, idx.baseAddress! + d &* 2, w.baseAddress! + d &* 2, o + d)
                                d &+= 8
                            }
                            if d >= x.copyFrom { break }
                        }
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
                        if d == fast.lowerBound {
                            while d &+ 4 <= fast.upperBound {
                                cubicBlock(s, idx.baseAddress! + d &* 4, w.baseAddress! + d &* 4, o + d)
                                d &+= 4
                            }
                            if d >= n { break }
                        }
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

    /// Eight 2-tap outputs: pairs `s[i], s[i+1]` side by side, times `w0, w1` as stored, even lanes + odd lanes.
    @inline(__always)
    private static func linearBlock(_ s: UnsafePointer<Float>, _ idx: UnsafePointer<Int>, _ w: UnsafePointer<Float>,
                                    _ o: UnsafeMutablePointer<Float>) {
        @inline(__always) func pair(_ j: Int) -> SIMD2<Float> {
            UnsafeRawPointer(s + idx[j &* 2]).loadUnaligned(as: SIMD2<Float>.self)
        }
        let v = SIMD16(lowHalf: SIMD8(lowHalf: SIMD4(lowHalf: pair(0), highHalf: pair(1)),
                                      highHalf: SIMD4(lowHalf: pair(2), highHalf: pair(3))),
                       highHalf: SIMD8(lowHalf: SIMD4(lowHalf: pair(4), highHalf: pair(5)),
                                       highHalf: SIMD4(lowHalf: pair(6), highHalf: pair(7))))
        let p = v * UnsafeRawPointer(w).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(o).storeBytes(of: p.evenHalf + p.oddHalf, as: SIMD8<Float>.self)
    }

    /// Four 4-tap outputs: runs `s[i] … s[i+3]` side by side, times the weights as stored; lane `j` of `t0 … t3`
    /// is output `j`'s product with tap 0 … 3, summed `((t0 + t1) + t2) + t3`.
    @inline(__always)
    private static func cubicBlock(_ s: UnsafePointer<Float>, _ idx: UnsafePointer<Int>, _ w: UnsafePointer<Float>,
                                   _ o: UnsafeMutablePointer<Float>) {
        @inline(__always) func run(_ j: Int) -> SIMD4<Float> {
            UnsafeRawPointer(s + idx[j &* 4]).loadUnaligned(as: SIMD4<Float>.self)
        }
        let v = SIMD16(lowHalf: SIMD8(lowHalf: run(0), highHalf: run(1)),
                       highHalf: SIMD8(lowHalf: run(2), highHalf: run(3)))
        let p = v * UnsafeRawPointer(w).loadUnaligned(as: SIMD16<Float>.self)
        let even = p.evenHalf, odd = p.oddHalf
        let t0 = even.evenHalf, t2 = even.oddHalf, t1 = odd.evenHalf, t3 = odd.oddHalf
        UnsafeMutableRawPointer(o).storeBytes(of: ((t0 + t1) + t2) + t3, as: SIMD4<Float>.self)
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
