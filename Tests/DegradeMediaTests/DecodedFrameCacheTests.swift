import Foundation
import Testing
@testable import DegradeMedia

/// The decoded-frame cache of PNG folders: a frame read again is served from memory with the same pixels a fresh
/// decode gives, a changed file is decoded again, and the held bytes never exceed the budget.
@Suite struct DecodedFrameCaching {
    /// One clip `c` of `frames` textured 40×36 frames; frame t differs from frame t + 1.
    static func folder(frames: Int, in dir: ScratchDir) throws -> String {
        let root = "\(dir.path)/reds"
        try FileManager.default.createDirectory(atPath: "\(root)/c", withIntermediateDirectories: true)
        for t in 0..<frames { try ImageFile.writePNG(FrameFileReading.texture(40, 36).shifted(t), to: "\(root)/c/\(String(format: "%08d", t)).png") }
        return root
    }

    static func cached(_ root: String, budget: Int) throws -> (REDSSource, DecodedFrameCache) {
        var source = try REDSSource(root: root)
        let cache = DecodedFrameCache(budget: budget)
        source.frameCache = cache
        return (source, cache)
    }

    @Test func aFrameReadAgainIsNotDecodedAgainAndHasTheSamePixels() throws {
        let dir = ScratchDir()
        let root = try Self.folder(frames: 4, in: dir)
        let plain = try REDSSource(root: root)
        let (source, cache) = try Self.cached(root, budget: 1 << 20)
        let first = PixelRegion(x: 3, y: 5, width: 20, height: 16)  // rows 0..<21 decoded
        #expect(try source.frames(of: "c", range: 0..<4, region: first) == plain.frames(of: "c", range: 0..<4, region: first))
        #expect(cache.counts == (0, 4))
        // Ends above row 21: served from memory, whatever its columns.
        let inside = PixelRegion(x: 10, y: 2, width: 16, height: 12)
        #expect(try source.frames(of: "c", range: 1..<3, region: inside) == plain.frames(of: "c", range: 1..<3, region: inside))
        #expect(cache.counts == (2, 4))
        // Ends below the rows held: decoded again (and kept, longer).
        let lower = PixelRegion(x: 0, y: 20, width: 8, height: 16)
        #expect(try source.frames(of: "c", range: 2..<3, region: lower) == plain.frames(of: "c", range: 2..<3, region: lower))
        #expect(try source.frames(of: "c", range: 2..<3, region: lower) == plain.frames(of: "c", range: 2..<3, region: lower))
        #expect(cache.counts == (3, 5))
        // Whole frames: the held whole frame 2 serves, the others are decoded whole.
        #expect(try source.frames(of: "c", range: 1..<3, region: nil) == plain.frames(of: "c", range: 1..<3, region: nil))
        #expect(cache.counts == (4, 6))
    }

    @Test func announcedRowsAreDecodedAtOnceAndAReleasedClipIsGivenBack() throws {
        let dir = ScratchDir()
        let root = try Self.folder(frames: 3, in: dir)
        let plain = try REDSSource(root: root)
        let (source, cache) = try Self.cached(root, budget: 1 << 20)
        source.expect(clip: "c", rows: [1: 30, 2: 99])  // frame 2: past its end, so all of it
        let upper = PixelRegion(x: 0, y: 0, width: 16, height: 10)
        #expect(try source.frames(of: "c", range: 0..<3, region: upper) == plain.frames(of: "c", range: 0..<3, region: upper))
        let lower = PixelRegion(x: 4, y: 14, width: 16, height: 16)  // rows 14..<30
        #expect(try source.frames(of: "c", range: 1..<3, region: lower) == plain.frames(of: "c", range: 1..<3, region: lower))
        #expect(cache.counts == (2, 3))
        #expect(try source.frames(of: "c", range: 0..<1, region: lower) == plain.frames(of: "c", range: 0..<1, region: lower))
        #expect(cache.counts == (2, 4))
        #expect(cache.heldBytes == 40 * 3 * (30 + 30 + 36))
        source.release(clip: "c")
        #expect(cache.heldBytes == 0)
        _ = try source.frames(of: "c", range: 2..<3, region: upper)
        #expect(cache.counts == (2, 5))
    }

    @Test func aChangedFileIsDecodedAgain() throws {
        let dir = ScratchDir()
        let root = try Self.folder(frames: 2, in: dir)
        let (source, cache) = try Self.cached(root, budget: 1 << 20)
        let region = PixelRegion(x: 0, y: 0, width: 16, height: 16)
        _ = try source.frames(of: "c", range: 0..<1, region: region)
        // Replaced by another picture (a new file renamed over it, as writers do).
        try ImageFile.writePNG(FrameFileReading.texture(40, 36).shifted(9), to: "\(root)/c/00000000.png")
        let again = try source.frames(of: "c", range: 0..<1, region: region)
        #expect(again == (try REDSSource(root: root).frames(of: "c", range: 0..<1, region: region)))
        #expect(cache.counts == (0, 2))
    }

    @Test func theHeldBytesStayWithinTheBudgetLeastRecentlyUsedOut() throws {
        let dir = ScratchDir()
        let root = try Self.folder(frames: 4, in: dir)
        let frameBytes = 40 * 36 * 3
        let (source, cache) = try Self.cached(root, budget: 2 * frameBytes + 100)
        _ = try source.frames(of: "c", range: 0..<4, region: nil)
        #expect(cache.heldBytes == 2 * frameBytes)  // frames 2 and 3
        _ = try source.frames(of: "c", range: 3..<4, region: nil)
        #expect(cache.counts == (1, 4))
        _ = try source.frames(of: "c", range: 0..<1, region: nil)
        #expect(cache.counts == (1, 5))
        #expect(cache.heldBytes <= cache.budget)
        // A budget smaller than one frame holds nothing, and reads still work.
        let (tiny, tinyCache) = try Self.cached(root, budget: frameBytes - 1)
        _ = try tiny.frames(of: "c", range: 0..<2, region: nil)
        _ = try tiny.frames(of: "c", range: 0..<2, region: nil)
        #expect(tinyCache.counts == (0, 4) && tinyCache.heldBytes == 0)
    }
}

extension Image {
    /// The picture moved `by` pixels to the right (wrapping), so neighbouring test frames differ.
    func shifted(_ by: Int) -> Image {
        var out = self
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    out.pixels[(c * height + y) * width + x] = pixels[(c * height + y) * width + (x + width - by % width) % width]
                }
            }
        }
        return out
    }
}
