import DegradeMedia
import Foundation

/// Procedural content for the codec tests: smooth gradients, sinusoids of a few frequencies and hard edges,
/// different per channel, so that both luma and chroma carry detail a codec must spend bits on.
enum CodecTestPatterns {
    /// The pattern sampled on a `width`×`height` grid over the unit square, shifted by `phase` (moves with time).
    /// Coordinates are normalised, so renderings at different sizes show the same picture. As in natural images,
    /// the fine detail (sinusoids, edges) is in luma and the colour varies smoothly, so 4:2:0 chroma subsampling
    /// alone does not cap the quality a codec can reach.
    static func textured(width: Int, height: Int, phase: Double = 0) -> Image {
        var image = Image(width: width, height: height, channels: 3)
        let plane = width * height
        for y in 0..<height {
            for x in 0..<width {
                let u = (Double(x) + 0.5) / Double(width) + phase
                let v = (Double(y) + 0.5) / Double(height) + 0.5 * phase
                let edge = (u.truncatingRemainder(dividingBy: 0.5) < 0.25) != (v > 0.55) ? 0.12 : -0.12
                let detail = 0.12 * sin(2 * .pi * 6 * u) * cos(2 * .pi * 4 * v) + 0.08 * sin(2 * .pi * 9 * (u + v)) + edge
                let i = y * width + x
                image.pixels[i] = Float(0.55 + 0.2 * sin(2 * .pi * u) + detail)
                image.pixels[plane + i] = Float(0.45 + 0.15 * v + detail)
                image.pixels[2 * plane + i] = Float(0.5 - 0.2 * cos(2 * .pi * v) + detail)
            }
        }
        return image
    }

    /// `count` frames of the pattern drifting right and down.
    static func movingClip(count: Int, width: Int, height: Int) -> [Image] {
        (0..<count).map { textured(width: width, height: height, phase: 0.03 * Double($0)) }
    }

    /// A constant colour plus a luma ramp (equal in all channels), offset by `shift`: no chroma detail for
    /// 4:2:0 subsampling to lose, even at a few pixels.
    static func smooth(width: Int, height: Int, shift: Float = 0) -> Image {
        var image = Image(width: width, height: height, channels: 3)
        let plane = width * height
        for y in 0..<height {
            for x in 0..<width {
                let u = Float(x) / Float(max(width - 1, 1)), v = Float(y) / Float(max(height - 1, 1))
                let i = y * width + x
                let luma = 0.2 * u + 0.1 * v + shift
                image.pixels[i] = 0.3 + luma
                image.pixels[plane + i] = 0.45 + luma
                image.pixels[2 * plane + i] = 0.35 + luma
            }
        }
        return image
    }

    /// An image whose three channels are equal (no chroma).
    static func gray(width: Int, height: Int) -> Image {
        var image = textured(width: width, height: height)
        let plane = width * height
        for i in 0..<plane {
            let g = image.pixels[plane + i]
            image.pixels[i] = g
            image.pixels[2 * plane + i] = g
        }
        return image
    }

    /// Peak signal-to-noise ratio in dB for values in [0, 1]; both sides are clipped first, like any 8-bit output.
    static func psnr(_ a: Image, _ b: Image) -> Double {
        precondition(a.pixels.count == b.pixels.count)
        var sum = 0.0
        for (x, y) in zip(a.pixels, b.pixels) {
            let d = Double(min(max(x, 0), 1)) - Double(min(max(y, 0), 1))
            sum += d * d
        }
        let mse = sum / Double(a.pixels.count)
        return mse == 0 ? .infinity : 10 * log10(1 / mse)
    }

    /// Mean PSNR over paired frames.
    static func meanPSNR(_ a: [Image], _ b: [Image]) -> Double {
        zip(a, b).map { psnr($0, $1) }.reduce(0, +) / Double(a.count)
    }
}
