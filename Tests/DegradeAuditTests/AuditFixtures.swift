import DegradeEngine
import DegradeMedia
import Foundation

enum AuditFixtures {
    /// The repository's recipes/ folder (tests run from a clone, which carries it).
    static let recipesDir: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("recipes").path
    }()

    static func bundled(_ name: String) throws -> Recipe {
        try RecipeParser.load("\(recipesDir)/\(name).yaml")
    }

    /// A tiny recipe: 2 frames, 48 px crop, blur, ×½ bicubic, Gaussian noise, JPEG, quantise. The ranges are
    /// parameters so a "different" recipe has the same ops (same locations) with disjoint ranges.
    static func smallRecipe(name: String = "audit-small", sigma: String = "[0.2, 1.0]", noise: String = "[1, 5]",
                            quality: String = "[30, 50]") throws -> Recipe {
        try RecipeParser.parse("""
            name: \(name)
            scale: 2
            frames: 2
            crop: {size: 48}
            pipeline:
              - blur:
                  kernel_size: [7, 9]
                  kernel_list: [iso, aniso]
                  kernel_prob: [0.5, 0.5]
                  sigma_x: \(sigma)
                  sigma_y: \(sigma)
                  sigma_x_step: 0.02
              - resize:
                  target_scale: 0.5
                  resize_opt: [bicubic]
              - noise:
                  noise_type: [gaussian]
                  gaussian_sigma: \(noise)
              - jpeg:
                  quality: \(quality)
              - quantize
            """, file: "\(name).yaml")
    }

    /// A smooth-but-textured frame: low-frequency waves plus a finer pattern, values within [0.15, 0.85].
    static func texture(width: Int, height: Int, phase: Double = 0, fine: Double = 0.12) -> Image {
        var img = Image(width: width, height: height)
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    let u = Double(x) + phase, v = Double(y)
                    img.pixels[c * width * height + y * width + x] =
                        Float(0.5 + 0.2 * sin(u * 0.21 + Double(c)) * cos(v * 0.17) + fine * sin((u + 2 * v) * 0.9))
                }
            }
        }
        return img
    }

    /// A very smooth frame (slow gradient), where a noise estimate sees only the added noise.
    static func smooth(width: Int, height: Int) -> Image {
        var img = Image(width: width, height: height)
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    img.pixels[c * width * height + y * width + x] = Float(0.3 + 0.4 * Double(x + y) / Double(width + height) + 0.05 * Double(c))
                }
            }
        }
        return img
    }

    /// A fresh empty temporary folder.
    static func tempDir(_ tag: String) throws -> String {
        let dir = NSTemporaryDirectory() + "degrade-audit-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes a REDS-style source: `root/<clip>/0000000i.png`, moving textures of `size`².
    static func writeClips(_ keys: [String], frames: Int, size: Int, to root: String) throws {
        for (k, key) in keys.enumerated() {
            let dir = "\(root)/\(key)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for t in 0..<frames {
                try ImageFile.writePNG(texture(width: size, height: size, phase: Double(2 * t + 7 * k)), to: "\(dir)/\(String(format: "%08d", t)).png")
            }
        }
    }
}

/// Frames held in memory as a clip source.
struct MemorySource: ClipSource {
    let clipsByKey: [String: [Image]]
    var summary: String { "memory" }

    func clips() throws -> [ClipInfo] {
        clipsByKey.keys.sorted().map { k in
            let f = clipsByKey[k]!
            return ClipInfo(key: k, frameCount: f.count, width: f[0].width, height: f[0].height, origin: "memory")
        }
    }

    func frames(of key: String, range: Range<Int>?) throws -> [Image] {
        let f = clipsByKey[key]!
        return Array(f[range ?? 0..<f.count])
    }
}
