/// MATLAB's `imresize(I, 0.5)` (bicubic, antialiased), the downscale NIQE's second scale uses: each output pixel
/// is a normalised 8-tap sum with weights `cubic(d/2)/2` (Keys, a = −0.5) at distances `d = 2i + 0.5 − k`, and the
/// image is mirrored at the edges (edge sample repeated). Output size ⌈w/2⌉ × ⌈h/2⌉.
enum MatlabHalfResize {
    static func cubic(_ x: Double) -> Double {
        let a = abs(x), a2 = a * a, a3 = a2 * a
        if a <= 1 { return 1.5 * a3 - 2.5 * a2 + 1 }
        if a <= 2 { return -0.5 * a3 + 2.5 * a2 - 4 * a + 2 }
        return 0
    }

    /// Taps of output sample `i` from an axis of `n` samples: (input index after mirroring, weight).
    static func taps(_ i: Int, _ n: Int) -> [(Int, Double)] {
        let ks = (2 * i - 3)...(2 * i + 4)
        let raw = ks.map { k in 0.5 * cubic(0.5 * (Double(2 * i) + 0.5 - Double(k))) }
        let total = raw.reduce(0, +)
        return zip(ks, raw).map { k, wgt in
            var m = k
            while m < 0 || m >= n { m = m < 0 ? -m - 1 : 2 * n - 1 - m }
            return (m, wgt / total)
        }
    }

    static func apply(_ img: [Double], width w: Int, height h: Int) -> ([Double], Int, Int) {
        let ow = (w + 1) / 2, oh = (h + 1) / 2
        var rows = [Double](repeating: 0, count: w * oh)
        for y in 0..<oh {
            let t = taps(y, h)
            for x in 0..<w {
                var s = 0.0
                for (k, wgt) in t { s += wgt * img[k * w + x] }
                rows[y * w + x] = s
            }
        }
        var out = [Double](repeating: 0, count: ow * oh)
        for x in 0..<ow {
            let t = taps(x, w)
            for y in 0..<oh {
                var s = 0.0
                for (k, wgt) in t { s += wgt * rows[y * w + k] }
                out[y * ow + x] = s
            }
        }
        return (out, ow, oh)
    }
}
