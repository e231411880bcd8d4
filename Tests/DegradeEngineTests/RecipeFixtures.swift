import DegradeMedia
import Foundation
@testable import DegradeEngine

enum RecipeFixtures {
    /// The repository's recipes/ folder (tests run from a clone, which carries it).
    static let recipesDir: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("recipes").path
    }()

    static func bundled(_ name: String) throws -> Recipe {
        try RecipeParser.load("\(recipesDir)/\(name).yaml")
    }

    static let clip = ClipInfo(key: "000", frameCount: 100, width: 1280, height: 720, origin: "test")

    /// A textured, moving test clip, small enough for a debug build.
    static func frames(_ count: Int, width: Int, height: Int) -> [Image] {
        (0..<count).map { t in
            var img = Image(width: width, height: height)
            for c in 0..<3 {
                for y in 0..<height {
                    for x in 0..<width {
                        let u = Double(x + 2 * t), v = Double(y)
                        img.pixels[c * width * height + y * width + x] =
                            Float(0.5 + 0.3 * sin(u * 0.31 + Double(c)) * cos(v * 0.23) + 0.15 * sin((u + v) * 1.7))
                    }
                }
            }
            return img
        }
    }
}

/// A list source over frames held in memory.
struct MemorySource: ClipSource {
    let clipsByKey: [String: [Image]]
    var summary: String { "memory" }

    func clips() throws -> [ClipInfo] {
        clipsByKey.keys.sorted().map { k in
            let f = clipsByKey[k]!
            return ClipInfo(key: k, frameCount: f.count, width: f[0].width, height: f[0].height, origin: "memory")
        }
    }

    /// A source's errors, not traps: a plan (e.g. a mutated one) may name a clip or frames this source lacks.
    func frames(of key: String, range: Range<Int>?) throws -> [Image] {
        guard let f = clipsByKey[key] else { throw MediaError(key, "no such clip in the memory source") }
        let r = range ?? 0..<f.count
        guard r.lowerBound >= 0, r.upperBound <= f.count else {
            throw MediaError(key, "frames \(r) requested, the clip has \(f.count)")
        }
        return Array(f[r])
    }
}
