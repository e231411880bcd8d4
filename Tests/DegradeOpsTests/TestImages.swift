import DegradeMedia
import DegradeOps

/// Deterministic test data and an independent, deliberately plain correlation reference.
enum TestImages {
    /// SplitMix64 → uniform Floats in [0, 1); seeded so every run sees the same image.
    static func random(width: Int, height: Int, channels: Int = 3, seed: UInt64) -> Image {
        var state = seed
        var pixels = [Float]()
        for _ in 0..<(width * height * channels) {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            pixels.append(Float(z >> 40) / Float(1 << 24))
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    static func constant(_ value: Float, width: Int, height: Int, channels: Int = 3) -> Image {
        Image(width: width, height: height, channels: channels,
              pixels: [Float](repeating: value, count: width * height * channels))
    }

    /// OpenCV's reflect-101 as its documentation describes it: mirror about the first/last sample (not repeating
    /// it) until the index lands inside.
    static func mirror(_ p: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        var q = p
        while q < 0 || q >= n {
            q = q < 0 ? -q : 2 * (n - 1) - q
        }
        return q
    }

    /// `out(x, y) = Σ K(i, j) · I(x + i − c, y + j − c)` in Double, one pixel and one tap at a time.
    static func naiveCorrelation(_ weights: [Float], size: Int, _ image: Image) -> Image {
        let c = size / 2
        var out = image
        for ch in 0..<image.channels {
            for y in 0..<image.height {
                for x in 0..<image.width {
                    var sum = 0.0
                    for j in 0..<size {
                        for i in 0..<size {
                            let sx = mirror(x + i - c, image.width), sy = mirror(y + j - c, image.height)
                            sum += Double(weights[j * size + i])
                                * Double(image.pixels[ch * image.planeSize + sy * image.width + sx])
                        }
                    }
                    out.pixels[ch * image.planeSize + y * image.width + x] = Float(sum)
                }
            }
        }
        return out
    }

    static func maxAbsDifference(_ a: Image, _ b: Image) -> Float {
        precondition(a.pixels.count == b.pixels.count)
        return zip(a.pixels, b.pixels).map { abs($0 - $1) }.max() ?? 0
    }
}
