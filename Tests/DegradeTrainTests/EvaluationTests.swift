import DegradeAudit
import DegradeEngine
import DegradeMedia
import DegradeOps
import Foundation
import Testing
@testable import DegradeTrain

/// A temporary REDS-style pair of folders: GT clips of 48×40 frames and their ×4 area-downscaled LQ.
struct REDSFixture {
    let root: String
    var lq: String { root + "/lq" }
    var gt: String { root + "/gt" }

    init(clips: [String: Int], seed: UInt64 = 1) throws {
        root = NSTemporaryDirectory() + "eval-\(UUID().uuidString)"
        var state = seed
        for (clip, count) in clips {
            for f in 0..<count {
                var gt = Image(width: 48, height: 40)
                for i in gt.pixels.indices {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let noise = Float(state >> 40) / Float(1 << 24)
                    let x = i % 48, y = (i / 48) % 40
                    gt.pixels[i] = 0.5 + 0.3 * sin(Float(x + 2 * f) * 0.4) * cos(Float(y) * 0.3) + 0.1 * noise
                }
                let lq = try Resize.apply(gt, width: 12, height: 10, interpolation: .area)
                let name = String(format: "%08d.png", f)
                try Upscaling.writeClip([gt], to: self.gt(clip), names: [name])
                try Upscaling.writeClip([lq], to: self.lq(clip), names: [name])
            }
        }
    }

    func gt(_ clip: String) -> String { gt + "/" + clip }
    func lq(_ clip: String) -> String { lq + "/" + clip }
    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

@Suite struct EvaluationTables {
    @Test func tableValuesEqualDirectMetricCalls() throws {
        let fx = try REDSFixture(clips: ["000": 2, "011": 3])
        defer { fx.remove() }
        let nearest: ([Image]) throws -> [Image] = { try $0.map { try Resize.apply($0, width: $0.width * 4, height: $0.height * 4, interpolation: .nearest) } }
        let table = try Evaluation.run(lqRoot: fx.lq, gtRoot: fx.gt, cropBorder: 2, upscale: nearest)
        #expect(table.rows.map(\.clip) == ["000", "011"])
        #expect(table.rows.map(\.frames) == [2, 3])
        #expect(table.scale == 4)

        var clipPSNR: [Double] = [], clipBicubic: [Double] = [], clipSSIM: [Double] = []
        for (clip, count) in [("000", 2), ("011", 3)] {
            var p = 0.0, b = 0.0, s = 0.0
            for f in 0..<count {
                let name = String(format: "/%08d.png", f)
                let gt = try ImageFile.read(fx.gt(clip) + name).image
                let lq = try ImageFile.read(fx.lq(clip) + name).image
                let sr = try nearest([lq])[0]
                let bi = try Resize.apply(lq, width: 48, height: 40, interpolation: .bicubic)
                let (gc, sc, bc) = (Evaluation.crop(gt, 2), Evaluation.crop(sr, 2), Evaluation.crop(bi, 2))
                #expect(gc.width == 44 && gc.height == 36)
                p += ImageMetrics.psnrY(sc, gc)
                b += ImageMetrics.psnrY(bc, gc)
                s += try #require(ImageMetrics.ssimY(sc, gc))
            }
            clipPSNR.append(p / Double(count))
            clipBicubic.append(b / Double(count))
            clipSSIM.append(s / Double(count))
        }
        for i in 0..<2 {
            #expect(abs(table.rows[i].model!.psnr - clipPSNR[i]) < 1e-9)
            #expect(abs(table.rows[i].model!.ssim! - clipSSIM[i]) < 1e-9)
            #expect(abs(table.rows[i].bicubic.psnr - clipBicubic[i]) < 1e-9)
        }
        #expect(abs(table.averageModel!.psnr - (clipPSNR[0] + clipPSNR[1]) / 2) < 1e-9)
        #expect(abs(table.averageBicubic.psnr - (clipBicubic[0] + clipBicubic[1]) / 2) < 1e-9)
        // Bicubic beats nearest on smooth content: the baseline is really computed, not copied.
        #expect(table.averageBicubic.psnr > table.averageModel!.psnr)

        let text = table.text()
        #expect(text.contains("average") && text.contains(String(format: "%.3f", clipPSNR[1])))
        let lines = text.split(separator: "\n")
        #expect(Set(lines.map(\.count)).count == 1)  // aligned columns
        let decoded = try JSONDecoder().decode(EvaluationTable.self, from: Data(try table.json().utf8))
        #expect(decoded == table)
    }

    @Test func baselineOnlyHasNoModelColumns() throws {
        let fx = try REDSFixture(clips: ["a": 1])
        defer { fx.remove() }
        let table = try Evaluation.run(lqRoot: fx.lq, gtRoot: fx.gt, cropBorder: 0, upscale: nil)
        #expect(table.averageModel == nil && table.rows[0].model == nil)
        #expect(table.averageBicubic.psnr > 20)
        // Only bicubic's columns: no bare PSNR/SSIM/NIQE header (the model's) before or after them.
        let header = table.text().split(separator: "\n")[0].split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(header == ["clip", "frames", "bicubic PSNR", "bicubic SSIM", "bicubic NIQE"], "\(header)")
    }

    @Test func badFoldersGiveClearErrors() throws {
        let fx = try REDSFixture(clips: ["a": 2, "b": 1])
        defer { fx.remove() }
        func message(_ lq: String, _ gt: String) -> String {
            do { _ = try Evaluation.run(lqRoot: lq, gtRoot: gt, upscale: nil); return "" } catch { return "\(error)" }
        }
        #expect(message(fx.root + "/nope", fx.gt).contains("does not exist"))
        try FileManager.default.removeItem(atPath: fx.gt("b"))
        #expect(message(fx.lq, fx.gt).contains("clip 'b'"))
        try FileManager.default.removeItem(atPath: fx.lq("b"))
        try FileManager.default.removeItem(atPath: fx.gt("a") + "/00000001.png")
        let m = message(fx.lq, fx.gt)
        #expect(m.contains("clip 'a'") && m.contains("00000001.png"))
        // A model returning the wrong number of frames is named as such.
        #expect(throws: EvaluationError.self) {
            try FileManager.default.removeItem(atPath: fx.lq("a") + "/00000001.png")
            _ = try Evaluation.run(lqRoot: fx.lq, gtRoot: fx.gt, upscale: { _ in [] })
        }
    }
}

@Suite struct ChunkedUpscaling {
    /// Frames whose single pixel holds the frame index.
    func clip(_ n: Int) -> [Image] { (0..<n).map { Image(width: 1, height: 1, channels: 1, pixels: [Float($0)]) } }

    /// A "recurrent" model whose output at t averages frames t−r…t+r within the window it is given.
    func neighbourModel(radius r: Int) -> ([Image]) -> [Image] {
        { frames in
            frames.indices.map { t in
                let lo = max(0, t - r), hi = min(frames.count - 1, t + r)
                let v = (lo...hi).map { frames[$0].pixels[0] }.reduce(0, +) / Float(hi - lo + 1)
                return Image(width: 1, height: 1, channels: 1, pixels: [v])
            }
        }
    }

    @Test func windowsCoverEveryFrameOnceAndStayBounded() {
        for n in [1, 7, 30, 31, 64, 100] {
            let w = Upscaling.windows(frameCount: n, chunk: 30, overlap: 5)
            #expect(w.flatMap { Array($0.keep) } == Array(0..<n))
            #expect(w.allSatisfy { $0.run.count <= 30 && $0.run.contains($0.keep.lowerBound) })
        }
    }

    @Test func chunkingReproducesTheUnchunkedResult() throws {
        let frames = clip(47)
        let model = neighbourModel(radius: 3)
        let whole = model(frames)
        var windowSizes: [Int] = []
        let chunked = try Upscaling.chunked(frames: frames, chunk: 12, overlap: 3) { w in
            windowSizes.append(w.count)
            return model(w)
        }
        #expect(chunked == whole)
        #expect(windowSizes.count > 3 && windowSizes.allSatisfy { $0 <= 12 })
        // Too little overlap for the model's reach does change the result: the test can fail.
        let short = try Upscaling.chunked(frames: frames, chunk: 12, overlap: 1, upscale: model)
        #expect(short != whole)
    }

    @Test func writeClipNamesFramesREDSStyle() throws {
        let dir = NSTemporaryDirectory() + "clip-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let frames = (0..<2).map { Image(width: 4, height: 3, channels: 3, pixels: [Float](repeating: Float($0) / 2, count: 36)) }
        try Upscaling.writeClip(frames, to: dir)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["00000000.png", "00000001.png"])
        let back = try ImageFile.read(dir + "/00000001.png").image
        #expect(back.width == 4 && abs(back.pixels[0] - 0.5) < 0.01)
    }
}

@Suite struct ChunkedEvaluation {
    @Test func chunkedScoringEqualsWholeClipScoringWithBoundedWindows() throws {
        let fx = try REDSFixture(clips: ["c": 7])
        defer { fx.remove() }
        // A model whose frame t mixes frames t±1 (a stand-in for a recurrent network's temporal reach).
        let model: ([Image]) throws -> [Image] = { frames in
            try frames.indices.map { t in
                let a = frames[max(0, t - 1)], b = frames[min(frames.count - 1, t + 1)]
                let mixed = Image(width: a.width, height: a.height, channels: 3,
                                  pixels: zip(a.pixels, b.pixels).map { ($0 + $1) / 2 })
                return try Resize.apply(mixed, width: a.width * 4, height: a.height * 4, interpolation: .bilinear)
            }
        }
        var largest = 0
        let whole = try Evaluation.run(lqRoot: fx.lq, gtRoot: fx.gt, upscale: model)
        let chunked = try Evaluation.run(lqRoot: fx.lq, gtRoot: fx.gt, chunk: 4, overlap: 1) { w in
            largest = max(largest, w.count)
            return try model(w)
        }
        #expect(largest == 4)
        #expect(abs(chunked.rows[0].model!.psnr - whole.rows[0].model!.psnr) < 1e-12)
        #expect(chunked.rows[0].bicubic == whole.rows[0].bicubic)
        #expect(throws: InputError.self) { _ = try Evaluation.run(lqRoot: fx.lq, gtRoot: fx.gt, chunk: 2, overlap: 1, upscale: model) }
    }
}
