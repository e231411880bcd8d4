import DegradeMedia

/// A single-channel plane in 8-bit units ([0, 255] scale, Float64), the form image metrics work on.
public struct LumaPlane: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var values: [Double]

    public init(width: Int, height: Int, values: [Double]) {
        precondition(values.count == width * height, "plane size does not match \(width)×\(height)")
        self.width = width
        self.height = height
        self.values = values
    }

    /// BasicSR's Y channel (ITU-R BT.601, studio range) of the 8-bit version of `image`:
    /// `Y = 16 + 65.481·R + 128.553·G + 24.966·B` with R, G, B = q8(x)/255 in [0, 1], so Y ∈ [16, 235].
    /// Quantising first (round half to even, clipped) matches evaluating the PNGs a render writes, which is what
    /// BasicSR's `calculate_psnr(test_y_channel=True)` sees. Gray images give their single channel scaled.
    public static func luma(_ image: Image) -> LumaPlane {
        let n = image.planeSize
        var y = [Double](repeating: 0, count: n)
        image.pixels.withUnsafeBufferPointer { p in
            if image.channels >= 3 {
                for i in 0..<n {
                    let r = Double(Image.quantize8(p[i])), g = Double(Image.quantize8(p[n &+ i])), b = Double(Image.quantize8(p[2 &* n &+ i]))
                    y[i] = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255
                }
            } else {
                for i in 0..<n { y[i] = Double(Image.quantize8(p[i])) }
            }
        }
        return LumaPlane(width: image.width, height: image.height, values: y)
    }

    /// Channel `c` of the 8-bit version of `image`, in levels 0…255.
    public static func channel(_ image: Image, _ c: Int) -> LumaPlane {
        let n = image.planeSize
        let v = image.withPlane(c) { p in (0..<n).map { Double(Image.quantize8(p[$0])) } }
        return LumaPlane(width: image.width, height: image.height, values: v)
    }

    @inline(__always) subscript(x: Int, y: Int) -> Double { values[y &* width &+ x] }
}
