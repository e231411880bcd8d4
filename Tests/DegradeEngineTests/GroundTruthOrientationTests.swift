import Testing
import DegradeMedia
@testable import DegradeEngine

/// The GT's flips and transpose (8×8 register blocks plus ragged edges) put every sample where the definition says:
/// horizontal flip, then vertical flip, then transpose.
@Suite struct GroundTruthOrientation {
    /// Sample (x, y) of channel c of the oriented image, straight from the definition.
    static func expected(_ image: Image, hflip: Bool, vflip: Bool, transpose: Bool) -> Image {
        let w = image.width, h = image.height
        let ow = transpose ? h : w, oh = transpose ? w : h
        var out = Image(width: ow, height: oh, channels: image.channels)
        for c in 0..<image.channels {
            for y in 0..<oh {
                for x in 0..<ow {
                    // Output (x, y) of the transpose is (y, x) of the flipped image.
                    let (fx, fy) = transpose ? (y, x) : (x, y)
                    let sx = hflip ? w - 1 - fx : fx, sy = vflip ? h - 1 - fy : fy
                    out.pixels[c * ow * oh + y * ow + x] = image.pixels[c * w * h + sy * w + sx]
                }
            }
        }
        return out
    }

    @Test(arguments: [[1, 1], [7, 5], [8, 8], [16, 24], [19, 13], [256, 9], [33, 70]])
    func everyFlagCombinationPutsEverySampleInItsPlace(size: [Int]) {
        let w = size[0], h = size[1]
        // Distinct values, so a misplaced sample cannot go unnoticed.
        let image = Image(width: w, height: h, channels: 2, pixels: (0..<(2 * w * h)).map { Float($0) })
        for bits in 0..<8 {
            let hflip = bits & 1 != 0, vflip = bits & 2 != 0, transpose = bits & 4 != 0
            let got = FramePreparation.oriented(image, hflip: hflip, vflip: vflip, transpose: transpose)
            #expect(got == Self.expected(image, hflip: hflip, vflip: vflip, transpose: transpose),
                    "\(w)×\(h) hflip \(hflip) vflip \(vflip) transpose \(transpose)")
        }
    }
}
