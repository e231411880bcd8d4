import DegradeMedia
import Testing
@testable import DegradeOps

/// The resamplers' SIMD blocks against one-output-at-a-time loops written from the documented operation order
/// (`SeparableResampler`, `AreaResampler`) over the same plan tables: every sample must match bit for bit, on widths
/// that leave ragged ends, single-pixel sides, and planes holding infinities (a masked or padded lane must not
/// turn a neighbour's inf into NaN).
@Suite struct ResizeFastPathTests {
    static let sizes: [(Int, Int, Int, Int)] = [
        (1, 1, 9, 3), (9, 1, 1, 5), (1, 7, 17, 2), (2, 2, 3, 3), (13, 5, 33, 9), (33, 9, 13, 5),
        (40, 6, 27, 4), (27, 4, 40, 6), (64, 3, 17, 3), (17, 3, 64, 3), (50, 4, 35, 4), (35, 4, 50, 7), (100, 2, 8, 2),
    ]

    @Test(arguments: Interpolation.allCases)
    func blocksMatchPlainLoops(mode: Interpolation) throws {
        for (sw, sh, dw, dh) in Self.sizes {
            var image = ResizeTestSupport.noise(width: sw, height: sh, channels: 2, seed: UInt64(sw * 31 + dw))
            let fast = try Resize.apply(image, width: dw, height: dh, interpolation: mode)
            #expect(Self.firstDifference(fast, Self.plain(image, dw, dh, mode)) == nil, "\(mode) \(sw)×\(sh) → \(dw)×\(dh)")
            image.pixels[sw / 2] = .infinity
            image.pixels[image.pixels.count - 1] = -.infinity
            let withInf = try Resize.apply(image, width: dw, height: dh, interpolation: mode)
            #expect(Self.firstDifference(withInf, Self.plain(image, dw, dh, mode)) == nil,
                    "\(mode) \(sw)×\(sh) → \(dw)×\(dh) with infinities")
        }
    }

    @Test func tapRunsCoverTheInteriorOnly() {
        // Bicubic 10 → 30: the first and last outputs clamp taps at the edges; those in between read runs.
        let taps = ResizeTaps(rule: .cubic, source: 10, destination: 30, scale: 1.0 / 3, inverseScale: 3,
                              horizontal: true)
        #expect(taps.contiguous.count > 0 && taps.contiguous.count < 30)
        for d in 0..<30 {
            let run = (1..<4).allSatisfy { taps.index[d * 4 + $0] == taps.index[d * 4] + $0 }
            #expect(run == taps.contiguous.contains(d), "output \(d)")
        }
    }

    /// The first sample whose bits differ, with both values, or nil when the images are identical.
    static func firstDifference(_ a: Image, _ b: Image) -> String? {
        guard a.pixels.count == b.pixels.count else { return "\(a.pixels.count) vs \(b.pixels.count) samples" }
        guard let i = a.pixels.indices.first(where: { a.pixels[$0].bitPattern != b.pixels[$0].bitPattern }) else {
            return nil
        }
        return "sample \(i): \(a.pixels[i]) vs \(b.pixels[i])"
    }

    /// One plane at a time, one output at a time, in the documented order.
    static func plain(_ image: Image, _ dw: Int, _ dh: Int, _ mode: Interpolation) -> Image {
        let sw = image.width, sh = image.height
        let plan = ResizePlan(sourceWidth: sw, sourceHeight: sh, width: dw, height: dh,
                              inverseScaleX: Double(dw) / Double(sw), inverseScaleY: Double(dh) / Double(sh),
                              interpolation: mode)
        var out = [Float]()
        for c in 0..<image.channels {
            let plane = Array(image.pixels[(c * sw * sh)..<((c + 1) * sw * sh)])
            func s(_ x: Int, _ y: Int) -> Float { plane[y * sw + x] }
            switch plan {
            case let .separable(x, y):
                let rows = (0..<sh).map { r in (0..<dw).map { d -> Float in
                    let k = d * x.taps, i = x.index, w = x.weight
                    if x.taps == 2 {
                        return d >= x.copyFrom ? s(i[k], r) : s(i[k], r) * w[k] + s(i[k + 1], r) * w[k + 1]
                    }
                    let a = s(i[k], r) * w[k] + s(i[k + 1], r) * w[k + 1]
                    let b = a + s(i[k + 2], r) * w[k + 2]
                    return b + s(i[k + 3], r) * w[k + 3]
                } }
                for dy in 0..<dh {
                    let k = dy * y.taps, i = y.index, b = y.weight
                    for d in 0..<dw {
                        if y.taps == 2 {
                            out.append(rows[i[k]][d] * b[k] + rows[i[k + 1]][d] * b[k + 1])
                        } else {
                            let inner = rows[i[k + 2]][d] * b[k + 2] + rows[i[k + 3]][d] * b[k + 3]
                            out.append(rows[i[k]][d] * b[k] + (rows[i[k + 1]][d] * b[k + 1] + inner))
                        }
                    }
                }
            case let .area(x, y):
                let rows = (0..<sh).map { r in (0..<dw).map { d -> Float in
                    var acc: Float = 0
                    for e in x.start[d]..<x.start[d + 1] { acc += s(x.source[e], r) * x.weight[e] }
                    return acc
                } }
                for dy in 0..<dh {
                    let entries = y.start[dy]..<y.start[dy + 1]
                    for d in 0..<dw {
                        guard let first = entries.first else { out.append(0); continue }
                        var v = rows[y.source[first]][d] * y.weight[first]
                        for e in entries.dropFirst() { v = v + rows[y.source[e]][d] * y.weight[e] }
                        out.append(v)
                    }
                }
            case .nearest, .box:
                // Unchanged scalar paths: compare with the op itself.
                let single = Image(width: sw, height: sh, channels: 1, pixels: plane)
                out += (try? Resize.apply(single, width: dw, height: dh, interpolation: mode).pixels) ?? []
            }
        }
        return Image(width: dw, height: dh, channels: image.channels, pixels: out)
    }
}
