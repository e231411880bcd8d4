import DegradeMedia
import Testing
@testable import DegradeRender

/// `RenderJob.isEightBit` (vectorised) agrees with its definition: every sample equals its 8-bit level.
@Suite struct EightBitCheck {
    static func definition(_ image: Image) -> Bool {
        image.pixels.allSatisfy { Float(Image.quantize8($0)) / 255 == $0 }
    }

    @Test func agreesWithTheDefinitionOnLevelsAndOnEverythingElse() {
        let levels = (0..<300).map { Float($0 % 256) / 255 }  // longer than one 16-sample block, with a tail
        let image = Image(width: 100, height: 1, channels: 3, pixels: levels)
        #expect(RenderJob.isEightBit(image) && Self.definition(image))
        for odd: Float in [0.5, 1.2, -0.1, .nan, .infinity, 1 + .ulpOfOne, Float(7) / 255 + 1e-6, -0.0] {
            for at in [0, 15, 16, 299] {  // first block, block end, second block, tail
                var changed = levels
                changed[at] = odd
                let image = Image(width: 100, height: 1, channels: 3, pixels: changed)
                #expect(RenderJob.isEightBit(image) == Self.definition(image), "\(odd) at \(at)")
            }
        }
        // Mixed blocks: some samples levels, the others anywhere in −0.1…1.1.
        for k in 0..<20 {
            let pixels = (0..<48).map { i in
                (i + k) % 5 != 0 ? Float((i * 53 + k * 7) % 256) / 255 : Float((i * 7919 + k * 104_729) % 1200) / 1000 - 0.1
            }
            let image = Image(width: 16, height: 1, channels: 3, pixels: pixels)
            #expect(RenderJob.isEightBit(image) == Self.definition(image))
        }
    }
}
