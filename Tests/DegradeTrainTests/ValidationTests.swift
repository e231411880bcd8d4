import DegradeEngine
import DegradeAudit
import DegradeMedia
import DegradeOps
import Foundation
import Testing
@testable import DegradeTrain

@Suite("Validation")
struct ValidationTests {
    let clip = TrainFixtures.clip(patch: 6, frames: 2, phase: 1.1)

    @Test("scores an upscaler against the GT and reports bicubic's PSNR on the same crop")
    func scores() throws {
        let set = ValidationSet(clips: [.init(key: "c", lq: clip.lq, gt: clip.gt)], cropBorder: 2)
        let perfect = try set.evaluate { _ in clip.gt }
        #expect(perfect.psnr == ImageMetrics.psnrCap && abs(perfect.ssim - 1) < 1e-9)
        let bicubic = try clip.lq.map { try Resize.apply($0, width: 24, height: 24, interpolation: .bicubic) }
        let viaBicubic = try set.evaluate { _ in bicubic }
        #expect(abs(viaBicubic.psnr - viaBicubic.bicubicPSNR) < 1e-9)
        #expect(viaBicubic.psnr < 60 && perfect.bicubicPSNR == viaBicubic.bicubicPSNR)
    }

    @Test("the trainer validates with the EMA weights, logs the scores and keeps its raw weights")
    func trainerValidation() throws {
        let c = TrainFixtures.tinyConfig(iterations: 3)
        let out = try TrainFixtures.tempDir("validate")
        let t = try TrainFixtures.trainer(c, out: out)
        t.validation = ValidationSet(clips: [.init(key: "c", lq: clip.lq, gt: clip.gt)], cropBorder: 0)
        _ = try t.run(until: 3)
        let raw = TrainFixtures.values(t.network.parameters)
        let scores = try #require(try t.validate())
        #expect(TrainFixtures.values(t.network.parameters) == raw)
        let emaNet = RealBasicVSRNet(configuration: c.network, seed: 99)
        try emaNet.load(weights: emaNet.named(t.ema.averages), from: "ema")
        let expected = try t.validation!.evaluate { try emaNet.upscale($0) }
        #expect(scores == expected)
        let log = try String(contentsOfFile: "\(out)/metrics.jsonl", encoding: .utf8)
        #expect(log.contains("\"val_psnr\"") && log.contains("\"bicubic_psnr\"") && log.contains("\"val_ssim\""))
        #expect(CheckpointStore.list(in: out).last?.iteration == 3)
    }

    @Test("validation.niqe adds the outputs' NIQE, logged as val_niqe and charted in training.html")
    func niqeOnRequest() throws {
        let fixtures = TrainFixtures.repository.appendingPathComponent("Tests/DegradeAuditTests/Fixtures/niqe")
        let gt = try ImageFile.read(fixtures.appendingPathComponent("clean.png").path).image
        let lq = try Resize.apply(gt, width: gt.width / 4, height: gt.height / 4, interpolation: .area)
        var set = ValidationSet(clips: [.init(key: "c", lq: [lq], gt: [gt])], cropBorder: 4)
        #expect(try set.evaluate { _ in [gt] }.niqe == nil)
        set.niqe = true
        let scores = try set.evaluate { _ in [gt] }
        #expect(scores.niqe == NIQE.score(gt, cropBorder: 4) && scores.niqe != nil)

        var line = MetricsRecord(iteration: 10)
        line.valNIQE = scores.niqe
        let data = try JSONEncoder().encode(line)
        let metrics = TrainingMetrics.parse(String(decoding: data, as: UTF8.self) + "\n")
        #expect(metrics.records.first?["val_niqe"] == scores.niqe)
        #expect(TrainingReport.charts(for: metrics).contains { $0.keys == ["val_niqe"] && $0.title.contains("NIQE") })
    }

    @Test("validation: {niqe: true} in a train config; off by default")
    func niqeConfig() throws {
        let base = "name: t\nrecipe: r.yaml\ndata: {source: {kind: pan, input: stills}}\n"
        #expect(try TrainConfigParser.parse(base, file: "/x/t.yaml").validation.niqe == false)
        #expect(try TrainConfigParser.parse(base + "validation: {niqe: true}\n", file: "/x/t.yaml").validation.niqe == true)
        let error = #expect(throws: RecipeError.self) {
            try TrainConfigParser.parse(base + "validation: {niqe: 3}\n", file: "/x/t.yaml")
        }
        #expect(error?.description.contains("niqe") == true, "\(String(describing: error))")
    }
}
