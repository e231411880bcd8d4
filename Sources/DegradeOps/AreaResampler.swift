/// True area downscaling of one plane (`INTER_AREA` when both axes shrink).
enum AreaResampler {
    /// Integer factors: each output is the mean of its `kx × ky` block. The block is summed in row-major order,
    /// four samples at a time (`acc += ((a + b) + c) + d`, then the remainder one by one) and scaled by
    /// `Float(1 / (kx·ky))` — OpenCV's order for 3-channel float images, so results match it bit for bit.
    static func box(_ src: UnsafePointer<Float>, sourceWidth sw: Int, kx: Int, ky: Int,
                    width dw: Int, height dh: Int, into dst: UnsafeMutablePointer<Float>) {
        let area = kx * ky
        let scale = 1 / Float(area)
        var offsets = [Int](repeating: 0, count: area)
        for r in 0..<ky {
            for c in 0..<kx { offsets[r * kx + c] = r * sw + c }
        }
        offsets.withUnsafeBufferPointer { ofs in
            let groups = area & ~3
            for dy in 0..<dh {
                let row = src + dy &* ky &* sw
                let o = dst + dy &* dw
                for dx in 0..<dw {
                    let p = row + dx &* kx
                    var acc: Float = 0
                    var k = 0
                    while k < groups {
                        acc += ((p[ofs[k]] + p[ofs[k &+ 1]]) + p[ofs[k &+ 2]]) + p[ofs[k &+ 3]]
                        k &+= 4
                    }
                    while k < area {
                        acc += p[ofs[k]]
                        k &+= 1
                    }
                    o[dx] = acc * scale
                }
            }
        }
    }

    /// Fractional factors: every source row is reduced along x (`buf = Σ s·α` in table order), then each output
    /// row is `Σ β·buf` over its source rows (first term a plain product), as OpenCV accumulates them.
    /// - Parameter rows: scratch of `sourceHeight × x.count` floats.
    static func table(_ src: UnsafePointer<Float>, sourceWidth sw: Int, sourceHeight sh: Int,
                      x: AreaTable, y: AreaTable, rows: UnsafeMutablePointer<Float>,
                      into dst: UnsafeMutablePointer<Float>) {
        let n = x.count
        for r in 0..<sh {
            reduceRow(src + r &* sw, x, into: rows + r &* n)
        }
        y.start.withUnsafeBufferPointer { start in
            y.source.withUnsafeBufferPointer { si in
                y.weight.withUnsafeBufferPointer { beta in
                    for dy in 0..<y.count {
                        accumulateRows(rows, width: n, entries: start[dy]..<start[dy &+ 1],
                                       source: si, weight: beta, into: dst + dy &* n)
                    }
                }
            }
        }
    }

    /// One source row along x. Whole groups of eight outputs run as SIMD lanes: step `e` adds entry `e`'s
    /// product in every lane that has one (`acc + s·α`, the same operations as one output at a time); the
    /// remaining outputs run one by one.
    @inline(__always)
    private static func reduceRow(_ s: UnsafePointer<Float>, _ x: AreaTable, into o: UnsafeMutablePointer<Float>) {
        x.laneSource.withUnsafeBufferPointer { ls in
            x.laneWeight.withUnsafeBufferPointer { lw in
                x.laneCount.withUnsafeBufferPointer { lc in
                    x.groupStart.withUnsafeBufferPointer { gs in
                        for g in 0..<(gs.count &- 1) {
                            let counts = UnsafeRawPointer(lc.baseAddress! + g &* 8).loadUnaligned(as: SIMD8<Int32>.self)
                            var acc = SIMD8<Float>()
                            var e = gs[g]
                            var step: Int32 = 0
                            while e < gs[g &+ 1] {
                                let i = ls.baseAddress! + e &* 8
                                let v = SIMD8(s[Int(i[0])], s[Int(i[1])], s[Int(i[2])], s[Int(i[3])],
                                              s[Int(i[4])], s[Int(i[5])], s[Int(i[6])], s[Int(i[7])])
                                let a = UnsafeRawPointer(lw.baseAddress! + e &* 8).loadUnaligned(as: SIMD8<Float>.self)
                                // Lanes with an entry at this step take the sum; the others keep `acc`. Selected with
                                // bit masks: a SIMDMask compiled to lane-by-lane stores through memory.
                                let live = unsafeBitCast((SIMD8(repeating: step) &- counts) &>> 31,
                                                         to: SIMD8<UInt32>.self)
                                let sum = unsafeBitCast(acc + v * a, to: SIMD8<UInt32>.self)
                                let kept = unsafeBitCast(acc, to: SIMD8<UInt32>.self)
                                acc = unsafeBitCast((sum & live) | (kept & ~live), to: SIMD8<Float>.self)
                                e &+= 1
                                step &+= 1
                            }
                            UnsafeMutableRawPointer(o + g &* 8).storeBytes(of: acc, as: SIMD8<Float>.self)
                        }
                    }
                }
            }
        }
        x.start.withUnsafeBufferPointer { start in
            x.source.withUnsafeBufferPointer { si in
                x.weight.withUnsafeBufferPointer { alpha in
                    for d in (8 &* (x.groupStart.count &- 1))..<x.count {
                        var acc: Float = 0
                        var e = start[d]
                        let end = start[d &+ 1]
                        while e < end {
                            acc += s[si[e]] * alpha[e]
                            e &+= 1
                        }
                        o[d] = acc
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func accumulateRows(_ rows: UnsafeMutablePointer<Float>, width n: Int, entries: Range<Int>,
                                       source: UnsafeBufferPointer<Int>, weight: UnsafeBufferPointer<Float>,
                                       into o: UnsafeMutablePointer<Float>) {
        guard let first = entries.first else {
            o.update(repeating: 0, count: n)
            return
        }
        let r0 = UnsafePointer(rows + source[first] &* n)
        let b0 = weight[first]
        var x = 0
        while x &+ 16 <= n {
            var v = SeparableResampler.load(r0 + x) * SIMD16(repeating: b0)
            var e = first &+ 1
            while e < entries.upperBound {
                v = v + SeparableResampler.load(rows + source[e] &* n + x) * SIMD16(repeating: weight[e])
                e &+= 1
            }
            UnsafeMutableRawPointer(o + x).storeBytes(of: v, as: SIMD16<Float>.self)
            x &+= 16
        }
        while x < n {
            var v = r0[x] * b0
            var e = first &+ 1
            while e < entries.upperBound {
                v = v + rows[source[e] &* n &+ x] * weight[e]
                e &+= 1
            }
            o[x] = v
            x &+= 1
        }
    }
}
