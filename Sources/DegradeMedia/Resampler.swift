/// Separable, antialiased resampling of a rectangular window of an image: a Catmull-Rom cubic (Keys, a = −0.5)
/// stretched by the scale factor when shrinking, so downscaled frames do not alias. Used to make clean
/// ground-truth frames (camera pans over stills, contact-sheet thumbnails) — not a degradation: the
/// degradation resizes with OpenCV's conventions live in DegradeOps.
public enum Resampler {
    /// A window of the source in pixel units; `x`, `y` is its top-left edge (not a pixel centre).
    public struct Window: Sendable, Equatable {
        public var x: Double, y: Double, width: Double, height: Double
        public init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }
    }

    public static func resize(_ image: Image, width: Int, height: Int) -> Image {
        resample(image, window: Window(x: 0, y: 0, width: Double(image.width), height: Double(image.height)),
                 width: width, height: height)
    }

    /// Samples `window` of `image` onto a `width`×`height` grid; pixels outside the source repeat the edge.
    public static func resample(_ image: Image, window: Window, width: Int, height: Int) -> Image {
        resample(image, window: window, width: width, height: height,
                 region: PixelRegion(x: 0, y: 0, width: width, height: height))
    }

    /// Only `region` of the `width`×`height` result of `resample(_:window:width:height:)`, bit for bit: every
    /// output sample has its own taps, so the others need not be computed.
    /// - Precondition: the region fits the `width`×`height` grid.
    public static func resample(_ image: Image, window: Window, width: Int, height: Int, region: PixelRegion) -> Image {
        precondition(region.fits(width: width, height: height), "region \(region) is outside the \(width)×\(height) grid")
        let hTaps = AxisTaps(count: width, origin: window.x, span: window.width, sourceCount: image.width)
        let vTaps = AxisTaps(count: height, origin: window.y, span: window.height, sourceCount: image.height)
        let columns = region.x..<(region.x + region.width), rows = region.y..<(region.y + region.height)
        let (rowLo, rowHi) = vTaps.indexBounds(rows)
        let midRows = rowHi - rowLo + 1
        let outWidth = region.width
        var out = Image(width: outWidth, height: region.height, channels: image.channels)
        var mid = [Float](repeating: 0, count: midRows * outWidth)
        let srcPlane = image.planeSize, dstPlane = outWidth * region.height
        image.pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                mid.withUnsafeMutableBufferPointer { tmp in
                    for c in 0..<image.channels {
                        // Horizontal pass over just the source rows the vertical taps touch.
                        for r in 0..<midRows {
                            let srow = c &* srcPlane &+ (rowLo &+ r) &* image.width
                            hTaps.apply(src.baseAddress! + srow, to: tmp.baseAddress! + r &* outWidth, outputs: columns)
                        }
                        // Vertical pass: whole rows at a time, unit stride along x.
                        for y in rows {
                            let d = dst.baseAddress! + (c &* dstPlane &+ (y &- region.y) &* outWidth)
                            for x in 0..<outWidth { d[x] = 0 }
                            let base = y &* vTaps.taps
                            for k in 0..<vTaps.taps {
                                let wgt = vTaps.weights[base &+ k]
                                if wgt == 0 { continue }
                                let s = tmp.baseAddress! + (vTaps.indices[base &+ k] &- rowLo) &* outWidth
                                for x in 0..<outWidth { d[x] += wgt * s[x] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Per-output-sample source indices (edge-clamped) and normalised weights along one axis.
struct AxisTaps {
    let taps: Int
    var indices: [Int]
    var weights: [Float]
    /// The smallest and largest source index the taps of `outputs` read.
    func indexBounds(_ outputs: Range<Int>) -> (Int, Int) {
        let touched = indices[(outputs.lowerBound * taps)..<(outputs.upperBound * taps)]
        return (touched.min() ?? 0, touched.max() ?? 0)
    }

    init(count: Int, origin: Double, span: Double, sourceCount: Int) {
        let step = span / Double(count)
        let support = 2 * max(1, step)   // Catmull-Rom has radius 2; widen it when shrinking
        let filterScale = max(1, step)
        taps = Int((2 * support).rounded(.up)) + 1
        indices = [Int](repeating: 0, count: count * taps)
        weights = [Float](repeating: 0, count: count * taps)
        // One scratch row of weights for all outputs (every entry is rewritten per output): an array per output
        // was most of this initialiser's time.
        var ws = [Double](repeating: 0, count: taps)
        for i in 0..<count {
            let centre = origin + (Double(i) + 0.5) * step - 0.5
            let first = Int((centre - support).rounded(.up))
            var total = 0.0
            for k in 0..<taps {
                let w = AxisTaps.cubic((Double(first + k) - centre) / filterScale)
                ws[k] = w
                total += w
            }
            for k in 0..<taps {
                indices[i * taps + k] = min(max(first + k, 0), sourceCount - 1)
                weights[i * taps + k] = Float(ws[k] / total)
            }
        }
    }

    /// Keys cubic convolution kernel with a = −0.5 (Catmull-Rom): interpolating, C¹, radius 2.
    static func cubic(_ t: Double) -> Double {
        let x = abs(t), a = -0.5
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return 0
    }

    /// `dst[i − outputs.lowerBound]` = output sample i, for i in `outputs`.
    func apply(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, outputs: Range<Int>) {
        indices.withUnsafeBufferPointer { idx in
            weights.withUnsafeBufferPointer { w in
                for i in outputs {
                    var acc: Float = 0
                    let base = i &* taps
                    for k in 0..<taps { acc += w[base &+ k] * src[idx[base &+ k]] }
                    dst[i &- outputs.lowerBound] = acc
                }
            }
        }
    }
}
