/// A frame in Float32, values nominally in [0, 1] (ops may leave that range until a clip or quantise step).
///
/// Layout is **planar** (CHW): channel `c` occupies `pixels[c*width*height ..< (c+1)*width*height]`, rows are
/// contiguous. Blur, resize and noise work on one plane at a time, so planar rows give unit-stride loops that
/// vectorise into SIMD16 without de-interleaving; only the codec and file boundaries convert to interleaved RGB8.
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var pixels: [Float]

    public init(width: Int, height: Int, channels: Int = 3, pixels: [Float]) {
        precondition(width > 0 && height > 0 && channels > 0, "image dimensions must be positive")
        precondition(pixels.count == width * height * channels, "pixel count does not match \(channels)×\(height)×\(width)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A zero-filled image.
    public init(width: Int, height: Int, channels: Int = 3) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [Float](repeating: 0, count: width * height * channels))
    }

    public var planeSize: Int { width * height }

    /// Builds an image from interleaved 8-bit samples (RGBRGB…); `/255`, exact.
    public init(interleaved8 bytes: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int = 3) {
        precondition(bytes.count == width * height * channels)
        let plane = width * height
        // `Float(b) / 255` is `unitLevels[b]` (both correctly rounded); as arithmetic it vectorises.
        let px = [Float](unsafeUninitializedCapacity: plane * channels) { out, initialised in
            let src = bytes.baseAddress!
            if channels == 3 {
                // One pass, three planes: the loop vectorises with a de-interleaving shuffle.
                let r = out.baseAddress!, g = r + plane, b = g + plane
                for i in 0..<plane {
                    let s = src + 3 &* i
                    r[i] = Float(s[0]) / 255
                    g[i] = Float(s[1]) / 255
                    b[i] = Float(s[2]) / 255
                }
            } else {
                for c in 0..<channels {
                    let dst = out.baseAddress! + c &* plane
                    for i in 0..<plane { dst[i] = Float(src[i &* channels &+ c]) / 255 }
                }
            }
            initialised = plane * channels
        }
        self.init(width: width, height: height, channels: channels, pixels: px)
    }

    /// `Float(v) / 255` for every 8-bit code: correctly rounded (multiplying by 1/255 is not), and a table
    /// lookup is faster than a division per sample.
    public static let unitLevels: [Float] = (0..<256).map { Float($0) / 255 }

    /// Interleaved 8-bit samples: clip to [0,1], then `round-half-even(255·x)` — the conversion OpenCV's
    /// saturate_cast applies. Out-of-range values saturate; they never wrap around.
    public func interleaved8() -> [UInt8] {
        let plane = planeSize
        return [UInt8](unsafeUninitializedCapacity: plane * channels) { dst, initialised in
            pixels.withUnsafeBufferPointer { src in
                if channels == 3 {
                    Image.interleave3(src.baseAddress!, plane: plane, into: dst.baseAddress!, count: plane)
                } else {
                    for c in 0..<channels {
                        let base = c &* plane
                        for i in 0..<plane { dst[i &* channels &+ c] = Image.quantize8(src[base &+ i]) }
                    }
                }
            }
            initialised = plane * channels
        }
    }

    /// `count` pixels of three planes `plane` samples apart, from `src`, as interleaved 8-bit RGB (`quantize8`) at
    /// `dst`. One pass writing consecutive bytes, which vectorises.
    @inlinable
    public static func interleave3(_ src: UnsafePointer<Float>, plane: Int, into dst: UnsafeMutablePointer<UInt8>, count: Int) {
        let g = src + plane, b = g + plane
        for i in 0..<count {
            let d = dst + 3 &* i
            d[0] = quantize8(src[i])
            d[1] = quantize8(g[i])
            d[2] = quantize8(b[i])
        }
    }

    /// One sample to 8 bits: clip, scale, round half to even. NaN maps to 0.
    @inlinable @inline(__always)
    public static func quantize8(_ v: Float) -> UInt8 {
        let s = (v * 255).rounded(.toNearestOrEven)
        let c = s > 0 ? (s < 255 ? s : 255) : 0  // NaN fails `s > 0`
        // c is a whole number in 0…255: adding 2²³ leaves it in the low mantissa bits. Branch-free, so loops
        // over samples vectorise.
        return UInt8(truncatingIfNeeded: (c + 0x1p23).bitPattern)
    }

    /// Pointer to the first sample of channel `c`.
    @inlinable
    public func withPlane<R>(_ c: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try pixels.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[(c * width * height)..<((c + 1) * width * height)]))
        }
    }
}
