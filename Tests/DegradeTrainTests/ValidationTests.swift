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
}
