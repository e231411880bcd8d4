import Testing
import DegradeMedia
@testable import DegradeOps

/// The separable passes compute every output with the documented operations in the documented order, bit for bit,
/// whichever way a row is split into SIMD blocks (padded ends, taps read in place, rows written in place or through
/// a buffer): row pass `acc = fma(src, h[i], acc)` for i = 0…; column pass with mirrored taps folded
/// (`fma(top + bottom, v[j], acc)`, then the centre) for symmetric `v`, else `fma(mid, v[j], acc)` in order.
@Suite struct SeparableConvolutionArithmetic {
    static func reference(_ image: Image, h: [Float], v: [Float]) -> Image {
        let w = image.width, ht = image.height, hl = h.count / 2, vt = v.count / 2
        var out = image
        for c in 0..<image.channels {
            let plane = Array(image.pixels[(c * w * ht)..<((c + 1) * w * ht)])
            let rowPass: [[Float]] = (0..<ht).map { y in
                (0..<w).map { x in
                    var acc: Float = 0
                    for i in h.indices { acc = acc.addingProduct(plane[y * w + reflect101(x + i - hl, count: w)], h[i]) }
                    return acc
                }
            }
            let mid = (0..<(ht + v.count - 1)).map { rowPass[reflect101($0 - vt, count: ht)] }
            let symmetric = (0..<vt).allSatisfy { v[$0] == v[v.count - 1 - $0] }
            for y in 0..<ht {
                for x in 0..<w {
                    var acc: Float = 0
                    if symmetric {
                        for j in 0..<vt { acc = acc.addingProduct(mid[y + j][x] + mid[y + v.count - 1 - j][x], v[j]) }
                        acc = acc.addingProduct(mid[y + vt][x], v[vt])
                    } else {
                        for j in v.indices { acc = acc.addingProduct(mid[y + j][x], v[j]) }
                    }
                    out.pixels[c * w * ht + y * w + x] = acc
                }
            }
        }
        return out
    }

    /// Widths a multiple of 16 and not, wider and narrower than the taps; the USM's 51 taps among them.
    @Test(arguments: [[16, 7], [37, 7], [64, 21], [100, 51], [128, 51], [5, 21], [48, 13]])
    func matchesTheScalarDefinitionBitForBit(case: [Int]) {
        let (width, taps) = (`case`[0], `case`[1])
        let image = TestImages.random(width: width, height: 11, channels: 2, seed: UInt64(width * 100 + taps))
        let g = BlurKernel.gaussian1D(size: taps, sigma: 0)
        let got = Convolution.applySeparable(rowTaps: g, columnTaps: g, to: image)
        #expect(got.pixels == Self.reference(image, h: g, v: g).pixels, "symmetric, width \(width), \(taps) taps")
        // An asymmetric column kernel takes the unfolded column pass.
        var v = BlurKernel.gaussian1D(size: 9, sigma: 1.5)
        v[0] += 0.01
        let asymmetric = Convolution.applySeparable(rowTaps: g, columnTaps: v, to: image)
        #expect(asymmetric.pixels == Self.reference(image, h: g, v: v).pixels, "asymmetric, width \(width), \(taps) taps")
    }
}
