import DegradeMedia
import DegradeTensor
import Testing
@testable import DegradeTrain

@Suite("Batch assembly")
struct BatchAssemblyTests {
    /// A 6-frame clip whose LQ is the area ¼ of its GT, so aligned patches stay in that relation.
    let clip = TrainFixtures.clip(patch: 12, frames: 6, phase: 0.4)

    @Test("the GT patch is the LQ patch's ×4 footprint, over the same frame window")
    func alignment() throws {
        let sampler = PatchSampler(frames: 3, patch: 5, seed: 1)
        let cut = try sampler.cut(key: "a@e0", lq: clip.lq, gt: clip.gt)
        #expect(cut.lq.count == 3 && cut.target.count == 3)
        #expect(cut.lq[0].width == 5 && cut.target[0].width == 20)
        let down = GradientMode.withoutGradients {
            ClipTensor.batch([cut.target]).reshaped([3, 3, 20, 20]).downsampleArea(factor: 4).scalars
        }
        let lq = ClipTensor.batch([cut.lq]).scalars
        #expect(zip(down, lq).allSatisfy { abs($0 - $1) < 1e-5 })
        // The window is 3 consecutive frames of the clip: its first LQ frame is found in the clip.
        #expect(clip.lq.contains { frame in PatchSamplerProbe.contains(frame, cut.lq[0]) })
    }

    @Test("window and position are a pure function of seed and key")
    func determinism() throws {
        let sampler = PatchSampler(frames: 2, patch: 4, seed: 3)
        let a = try sampler.cut(key: "clip@e0", lq: clip.lq, gt: clip.gt)
        let b = try sampler.cut(key: "clip@e0", lq: clip.lq, gt: clip.gt)
        #expect(a.lq == b.lq && a.target == b.target)
        let others = try (1...6).map { try sampler.cut(key: "clip@e\($0)", lq: clip.lq, gt: clip.gt).lq }
        #expect(others.contains { $0 != a.lq })
    }

    @Test("short clips, small frames and non-×4 pairs are refused with the key named")
    func refusals() {
        #expect(throws: TrainError.self) { try PatchSampler(frames: 7, patch: 4, seed: 0).cut(key: "k", lq: clip.lq, gt: clip.gt) }
        #expect(throws: TrainError.self) { try PatchSampler(frames: 2, patch: 13, seed: 0).cut(key: "k", lq: clip.lq, gt: clip.gt) }
        let error = #expect(throws: TrainError.self) {
            try PatchSampler(frames: 2, patch: 4, seed: 0).cut(key: "k", lq: clip.gt, gt: clip.gt)
        }
        #expect(error?.message.contains("sample k") == true)
    }
}

/// Whether `patch` occurs somewhere in `frame` (all channels).
enum PatchSamplerProbe {
    static func contains(_ frame: Image, _ patch: Image) -> Bool {
        for y in 0...(frame.height - patch.height) {
            for x in 0...(frame.width - patch.width) where PatchSampler.crop(frame, x: x, y: y, size: patch.width) == patch {
                return true
            }
        }
        return false
    }
}

@Suite("Learning-rate schedule")
struct LearningRateScheduleTests {
    func schedule(_ kind: ScheduleKind, warmup: Int = 0) -> LearningRateSchedule {
        var c = TrainConfig(name: "s", recipePath: "r")
        c.optimizer.lr = 1e-3
        c.iterations = 110
        c.schedule = .init()
        c.schedule.kind = kind
        c.schedule.warmup = warmup
        c.schedule.milestones = [50, 80]
        c.schedule.gamma = 0.5
        c.schedule.minLR = 1e-5
        return LearningRateSchedule(config: c)
    }

    @Test("linear warm-up, then constant / cosine to min_lr / steps at milestones")
    func shapes() {
        let warm = schedule(.constant, warmup: 10)
        #expect(warm.rate(at: 0) == 1e-4 && abs(warm.rate(at: 4) - 5e-4) < 1e-12 && warm.rate(at: 10) == 1e-3)
        let cosine = schedule(.cosine, warmup: 10)
        #expect(cosine.rate(at: 10) == 1e-3)
        #expect(abs(cosine.rate(at: 60) - (1e-5 + (1e-3 - 1e-5) / 2)) < 1e-12)
        #expect(abs(cosine.rate(at: 110) - 1e-5) < 1e-12)
        #expect((11..<110).allSatisfy { cosine.rate(at: $0) < cosine.rate(at: $0 - 1) })
        let step = schedule(.step)
        #expect(step.rate(at: 49) == 1e-3 && step.rate(at: 50) == 5e-4 && step.rate(at: 80) == 2.5e-4)
    }
}
