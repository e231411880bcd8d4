import DegradeAudit
import DegradeMedia
import Foundation
import Testing
@testable import DegradeTrain

/// `degrade eval` without GT (no-reference scores of the clips themselves) and with GT (NIQE beside PSNR/SSIM),
/// run as a real process on the NIQE fixture images.
@Suite("eval without ground truth", .serialized)
struct EvalNoReferenceTests {
    static let niqeFixtures = TrainFixtures.repository.appendingPathComponent("Tests/DegradeAuditTests/Fixtures/niqe").path

    /// DIR/<clip>/<frame>.png from fixture files.
    static func clips(_ layout: [String: [String]]) throws -> String {
        let dir = try TrainFixtures.tempDir("eval-nr")
        for (clip, files) in layout {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(clip)", withIntermediateDirectories: true)
            for (i, f) in files.enumerated() {
                try FileManager.default.copyItem(atPath: "\(niqeFixtures)/\(f)", toPath: "\(dir)/\(clip)/\(String(format: "%08d", i)).png")
            }
        }
        return dir
    }

    @Test func scoresClipsWithoutGT() throws {
        guard TrainCommandSafetyTests.built else { return }
        let dir = try Self.clips(["a_clean": ["clean.png"], "b_noisy": ["noise.png"], "c_tiny": ["small.png", "small.png"]])
        let r = try TrainCommandSafetyTests.degrade(["eval", "--lq", dir, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let table = try JSONDecoder().decode(NoReferenceTable.self, from: Data(r.stdout.utf8))
        #expect(table.rows.map(\.clip) == ["a_clean", "b_noisy", "c_tiny"])
        #expect(table.rows.map(\.frames) == [1, 1, 2])
        #expect(table.scored == "input")
        let clean = try ImageFile.read("\(Self.niqeFixtures)/clean.png").image
        let expected = try #require(NIQE.score(clean))
        #expect(abs((table.rows[0].scores.niqe ?? 0) - expected) < 1e-9)
        // Noise shows in NIQE and in the Immerkær σ.
        #expect((table.rows[1].scores.niqe ?? 0) > expected)
        #expect((table.rows[1].scores.noiseSigma ?? 0) > (table.rows[0].scores.noiseSigma ?? .infinity) + 5)
        #expect(table.rows.allSatisfy { $0.scores.blockiness != nil })
        let averageNIQE = (table.rows.compactMap(\.scores.niqe).reduce(0, +)) / 3
        #expect(abs((table.average.niqe ?? 0) - averageNIQE) < 1e-9)  // every clip weighs the same
        // The table: one line per clip and the average (a one-frame folder is its own clip).
        let small = try Self.clips(["s": ["small.png"]])
        let text = try TrainCommandSafetyTests.degrade(["eval", "--lq", small + "/s"])
        let tiny = try #require(NIQE.score(try ImageFile.read("\(Self.niqeFixtures)/small.png").image))
        let lines = text.stdout.split(separator: "\n")
        #expect(text.status == 0 && lines.count == 3 && lines[0].contains("NIQE") && lines[0].contains("noise σ"), "\(text.stdout)")
        #expect(lines[1].hasPrefix("s ") && lines[1].contains(String(format: "%.3f", tiny)), "\(text.stdout)")
    }

    @Test func framesTooSmallForNIQEHaveNone() throws {
        guard TrainCommandSafetyTests.built else { return }
        let dir = try Self.clips(["tiny": ["small.png"]])
        // 192×96 minus 4 px on each side leaves one 96-row block short: no NIQE, the other signals remain.
        let r = try TrainCommandSafetyTests.degrade(["eval", "--lq", dir, "--crop-border", "4", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let table = try JSONDecoder().decode(NoReferenceTable.self, from: Data(r.stdout.utf8))
        #expect(table.rows[0].scores.niqe == nil && table.rows[0].scores.noiseSigma != nil)
        let crop = try TrainCommandSafetyTests.degrade(["eval", "--lq", dir, "--crop-border", "200"])
        #expect(crop.status == 2 && crop.stderr.contains("crop border 200"), "\(crop.stderr)")
    }

    @Test func withGTAddsNIQEBesidePSNR() throws {
        guard TrainCommandSafetyTests.built else { return }
        let gt = try Self.clips(["x": ["clean.png"]])
        // LQ = GT at ×1: bicubic is the identity, so its NIQE is the GT's.
        let r = try TrainCommandSafetyTests.degrade(["eval", "--bicubic", "--lq", gt, "--gt", gt, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let table = try JSONDecoder().decode(EvaluationTable.self, from: Data(r.stdout.utf8))
        let expected = try #require(NIQE.score(try ImageFile.read("\(Self.niqeFixtures)/clean.png").image))
        #expect(abs((table.rows[0].bicubic.niqe ?? 0) - expected) < 1e-6)
        #expect(table.rows[0].bicubic.psnr == ImageMetrics.psnrCap)
    }

    @Test func bicubicNeedsGT() throws {
        guard TrainCommandSafetyTests.built else { return }
        let dir = try Self.clips(["x": ["small.png"]])
        let r = try TrainCommandSafetyTests.degrade(["eval", "--bicubic", "--lq", dir])
        #expect(r.status == 2 && r.stderr.contains("--bicubic needs --gt"), "\(r.stderr)")
    }

    @Test func modelOutputsAreScoredInChunks() throws {
        let dir = try Self.clips(["c": ["small.png", "small.png", "small.png", "small.png"]])
        var calls: [Int] = []
        // An identity "model": its outputs are the inputs, so the scores must equal scoring the clip itself.
        let viaModel = try Evaluation.runNoReference(root: dir, chunk: 3, overlap: 1, upscale: { frames in
            calls.append(frames.count)
            return frames
        })
        let direct = try Evaluation.runNoReference(root: dir, upscale: nil)
        #expect(viaModel.scored == "model" && direct.scored == "input")
        #expect(viaModel.rows == direct.rows && viaModel.rows[0].frames == 4)
        #expect(calls.count > 1 && calls.allSatisfy { $0 <= 3 }, "\(calls)")
        #expect(throws: EvaluationError.self) {
            try Evaluation.runNoReference(root: dir, upscale: { Array($0.dropLast()) })
        }
    }
}
