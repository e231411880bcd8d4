/// One axis of a separable resize (bilinear, bicubic, or area's upscaling fallback): for every destination
/// index, `taps` source indices (already clamped to the edge) and their weights.
///
/// Coordinates and weights are computed the way OpenCV's generic float path computes them, so sums agree with
/// `cv2.resize` to float rounding:
/// - bilinear / bicubic: `c = Float((d + 0.5)·scale − 0.5)`, `s = floor(c)`, `f = c − s` (half-pixel centres);
/// - area fallback: `s = floor(d·scale)`, `f = Float((d + 1) − (s + 1)/scale)`, `f = f ≤ 0 ? 0 : f − floor(f)`;
/// - weights: linear `(1 − f, f)`; cubic = Keys kernel with a = −0.75 at offsets `f+1, f, 1−f, 2−f`, the last
///   weight taken as `1 − w0 − w1 − w2`;
/// - taps `s − taps/2 + 1 + k`, clamped to `[0, source − 1]` (edge replicate).
/// Along x, the 2-tap filters also move `s` to 0 (`f = 0`) when `s < 0` and to the last pixel (`f = 0`) when
/// `s ≥ source − 1`; along y only the tap rows are clamped. OpenCV does exactly this asymmetric thing, and it can
/// change the last bit of a result, so it is kept.
struct ResizeTaps: Sendable {
    /// How coordinates and weights are derived.
    enum Rule: Sendable {
        case linear, cubic, areaFallback
    }

    let taps: Int
    let count: Int
    /// `count·taps` source indices, each within `0..<source`.
    let index: [Int]
    /// `count·taps` weights, same layout as `index`.
    let weight: [Float]
    /// First destination index whose 2-tap x filter sits on the last source pixel: OpenCV copies that pixel
    /// instead of weighting it (identical for finite input; kept so NaN/inf behave the same). `count` if none.
    let copyFrom: Int
    /// Outputs (a range below `copyFrom`) whose taps are consecutive samples `index[d·taps] + 0 … taps − 1`, so the
    /// horizontal pass may load them as one run; empty when the consecutive outputs are not one range.
    let contiguous: Range<Int>

    /// - Parameters:
    ///   - scale: source length / destination length, computed as `1 / inverseScale` like OpenCV.
    ///   - inverseScale: destination length / source length.
    ///   - horizontal: x axis (applies the x-only coordinate clamping described above).
    init(rule: Rule, source: Int, destination: Int, scale: Double, inverseScale: Double, horizontal: Bool) {
        let taps = rule == .cubic ? 4 : 2
        var index = [Int](repeating: 0, count: destination * taps)
        var weight = [Float](repeating: 0, count: destination * taps)
        var copyFrom = destination
        for d in 0..<destination {
            var s: Int
            var f: Float
            switch rule {
            case .areaFallback:
                s = Int((Double(d) * scale).rounded(.down))
                f = Float(Double(d + 1) - Double(s + 1) * inverseScale)
                f = f <= 0 ? 0 : f - f.rounded(.down)
            case .linear, .cubic:
                let c = Float((Double(d) + 0.5) * scale - 0.5)
                s = Int(c.rounded(.down))
                f = c - Float(s)
            }
            if horizontal && rule != .cubic {
                if s < 0 { s = 0; f = 0 }
                if s >= source - 1 {
                    copyFrom = min(copyFrom, d)
                    s = source - 1
                    f = 0
                }
            }
            let w = rule == .cubic ? ResizeTaps.keysWeights(f) : SIMD4<Float>(1 - f, f, 0, 0)
            for k in 0..<taps {
                index[d * taps + k] = min(max(s - taps / 2 + 1 + k, 0), source - 1)
                weight[d * taps + k] = w[k]
            }
        }
        self.taps = taps
        self.count = destination
        self.index = index
        self.weight = weight
        self.copyFrom = copyFrom
        contiguous = ResizeTaps.consecutiveRun(index, taps: taps, count: copyFrom)
    }

    /// The range of outputs below `count` whose taps are consecutive, if they form one range (clamping at the edges
    /// only breaks runs at the two ends, since tap positions grow with the output index); otherwise empty.
    private static func consecutiveRun(_ index: [Int], taps: Int, count: Int) -> Range<Int> {
        func consecutive(_ d: Int) -> Bool {
            (1..<taps).allSatisfy { index[d * taps + $0] == index[d * taps] + $0 }
        }
        guard let first = (0..<count).first(where: consecutive) else { return 0..<0 }
        let end = (first..<count).first(where: { !consecutive($0) }) ?? count
        return (end..<count).contains(where: consecutive) ? 0..<0 : first..<end
    }

    /// Keys cubic convolution weights (a = −0.75) for the four taps around a sample at fraction `x ∈ [0, 1)`:
    /// `W(t) = (a+2)|t|³ − (a+3)|t|² + 1` for `|t| ≤ 1`, `a|t|³ − 5a|t|² + 8a|t| − 4a` for `1 < |t| < 2`,
    /// evaluated in Float in OpenCV's operation order; the fourth weight makes the sum exactly 1.
    static func keysWeights(_ x: Float) -> SIMD4<Float> {
        let a: Float = -0.75
        let p = x + 1
        let q = 1 - x
        let w0 = ((a * p - 5 * a) * p + 8 * a) * p - 4 * a
        let w1 = ((a + 2) * x - (a + 3)) * x * x + 1
        let w2 = ((a + 2) * q - (a + 3)) * q * q + 1
        let w3 = 1 - w0 - w1 - w2
        return SIMD4(w0, w1, w2, w3)
    }
}
