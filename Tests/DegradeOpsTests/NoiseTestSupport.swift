import DegradeMedia
import DegradeRandom

/// Helpers shared by the noise-op tests.
enum NoiseTestSupport {
    static let key = RandomKey(seed: 11, clip: "ops", stream: "noise")

    static func flat(_ value: Float, width: Int = 64, height: Int = 64) -> Image {
        Image(width: width, height: height, pixels: [Float](repeating: value, count: width * height * 3))
    }

    /// `out − in`, per sample, in Double.
    static func difference(_ out: Image, _ input: Image) -> [Double] {
        zip(out.pixels, input.pixels).map { Double($0) - Double($1) }
    }

    static func meanAndVariance(_ xs: [Double]) -> (mean: Double, variance: Double) {
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)
        return (mean, variance)
    }

    static func plane(_ image: Image, _ c: Int) -> [Float] {
        Array(image.pixels[(c * image.planeSize)..<((c + 1) * image.planeSize)])
    }
}
