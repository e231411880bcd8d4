import DegradeMedia
import Foundation

/// Shared helpers for the resize tests: deterministic inputs and independent double-precision references
/// written straight from the documented formulas (not from the implementation's tables).
enum ResizeTestSupport {
    /// Deterministic pseudo-random image with values in [0, 1).
    static func noise(width: Int, height: Int, channels: Int = 3, seed: UInt64 = 1) -> Image {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        let px = (0..<(width * height * channels)).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24)
        }
        return Image(width: width, height: height, channels: channels, pixels: px)
    }

    /// Sample at (x, y) of channel c.
    static func at(_ image: Image, _ x: Int, _ y: Int, _ c: Int = 0) -> Float {
        image.pixels[c * image.planeSize + y * image.width + x]
    }

    /// Weight matrix (destination × source) of one axis of a half-pixel-centred filter with edge clamping:
    /// `c = (d + 0.5)·src/dst − 0.5`, taps `floor(c) + k` for `k` in `taps`, weight `kernel(c − tap)`.
    static func centredWeights(source: Int, destination: Int, taps: ClosedRange<Int>,
                               kernel: (Double) -> Double) -> [[Double]] {
        (0..<destination).map { d in
            var row = [Double](repeating: 0, count: source)
            let c = (Double(d) + 0.5) * Double(source) / Double(destination) - 0.5
            let base = Int(c.rounded(.down))
            for k in taps {
                let tap = base + k
                row[min(max(tap, 0), source - 1)] += kernel(c - Double(tap))
            }
            return row
        }
    }

    static func triangle(_ t: Double) -> Double { max(0, 1 - abs(t)) }

    /// Keys cubic convolution kernel with a = −0.75.
    static func keys(_ t: Double) -> Double {
        let a = -0.75, x = abs(t)
        let x2 = x * x, x3 = x2 * x
        if x <= 1 { return (a + 2) * x3 - (a + 3) * x2 + 1 }
        if x < 2 {
            let cubic: Double = a * x3 - 5 * a * x2
            return cubic + 8 * a * x - 4 * a
        }
        return 0
    }

    /// Exact area-overlap weights: cell `d` covers `[d·s, (d+1)·s)` with `s = src/dst`; weight = overlap with
    /// pixel `[i, i+1)` divided by `s`.
    static func overlapWeights(source: Int, destination: Int) -> [[Double]] {
        let s = Double(source) / Double(destination)
        return (0..<destination).map { d -> [Double] in
            let lo = Double(d) * s, hi = Double(d + 1) * s
            return (0..<source).map { i -> Double in
                let overlap: Double = min(hi, Double(i + 1)) - max(lo, Double(i))
                return max(0, overlap) / s
            }
        }
    }

    /// Applies per-axis weight matrices to every plane: `out = Wy · plane · Wxᵀ`, in Double.
    static func separable(_ image: Image, x: [[Double]], y: [[Double]]) -> [Double] {
        let w = image.width, h = image.height
        var out = [Double]()
        for c in 0..<image.channels {
            for dy in 0..<y.count {
                for dx in 0..<x.count {
                    var acc = 0.0
                    for sy in 0..<h where y[dy][sy] != 0 {
                        for sx in 0..<w where x[dx][sx] != 0 {
                            acc += y[dy][sy] * x[dx][sx] * Double(image.pixels[c * w * h + sy * w + sx])
                        }
                    }
                    out.append(acc)
                }
            }
        }
        return out
    }

    static func maxDifference(_ a: [Float], _ b: [Double]) -> Double {
        zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0
    }
}
