import DegradeEngine
import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

@Suite("Aligned network training and checkpoint compatibility")
struct AlignedTrainingTests {
    @Test("SPyNet takes no update while frozen, then moves at lr × spynet_lr_multiplier")
    func frozenThenScaled() throws {
        var c = TrainFixtures.config(.spynet, iterations: 3)
        c.optimizer.spynetFrozenIterations = 2
        c.optimizer.spynetLRMultiplier = 0.125
        let trainer = try TrainFixtures.trainer(c, out: try TrainFixtures.tempDir("frozen"))
        let flow = trainer.network.flowParameters
        let start = TrainFixtures.values(flow)
        let others = trainer.network.parameters.filter { !$0.name.contains("spynet") }
        let othersStart = TrainFixtures.values(others)
        for _ in 0..<2 { _ = try trainer.step() }
        #expect(TrainFixtures.values(flow) == start)
        #expect(TrainFixtures.values(others) != othersStart)
        let afterFrozen = TrainFixtures.values(flow)
        _ = try trainer.step()
        // Adam's first step moves each weight by at most its step size (≈ exactly, where the gradient is not tiny).
        let moved = zip(TrainFixtures.values(flow), afterFrozen).flatMap { zip($0, $1).map { abs($0 - $1) } }
        let step = Float(c.optimizer.lr * 0.125)
        #expect(moved.max()! > step * 0.99 && moved.max()! < step * 1.01, "largest SPyNet change \(moved.max()!), expected \(step)")
        let steps = trainer.adam.state.steps
        for (i, p) in trainer.network.parameters.enumerated() {
            #expect(steps[i] == (p.name.contains("spynet") ? 1 : 3), "\(p.name)")
        }
    }

    @Test("alignment: spynet with a patch below 64 px is refused naming data.patch")
    func patchBelowSixtyFour() throws {
        let text = """
            name: x
            recipe: r.yaml
            data: {patch: 32}
            network: {alignment: spynet}
            """
        let error = #expect(throws: RecipeError.self) { try TrainConfigParser.parse(text, file: "/tmp/t.yaml") }
        #expect("\(error!)".contains("data.patch") && "\(error!)".contains("64"), "\(error!)")
        let fine = try TrainConfigParser.parse(text.replacingOccurrences(of: "patch: 32", with: "patch: 64"), file: "/tmp/t.yaml")
        #expect(fine.network.alignment == .spynet && fine.network.hrChannels == 64)
        #expect(throws: RecipeError.self) {
            try TrainConfigParser.parse(text.replacingOccurrences(of: "spynet", with: "flownet"), file: "/tmp/t.yaml")
        }
    }

    /// A checkpoint folder as degrade wrote it before adopting mmagic's layout: top-level names, upsampling at
    /// `channels` wide, no layout/alignment metadata.
    static func legacyCheckpoint() throws -> (folder: String, run: String, trainer: Trainer) {
        var c = TrainFixtures.tinyConfig(iterations: 1)
        c.network.hrChannels = c.network.channels
        let run = try TrainFixtures.tempDir("legacy")
        let trainer = try TrainFixtures.trainer(c, out: run)
        _ = try trainer.run(until: 1)
        let folder = "\(run)/ckpt-000001"
        for file in [CheckpointStore.generatorFile, CheckpointStore.emaFile] {
            try TrainFixtures.rewrite(folder, file) { t in
                var old = SafeTensors(metadata: t.metadata.filter { ["format", "channels", "cleaning_blocks", "propagation_blocks"].contains($0.key) })
                for (name, e) in t.tensors { old.tensors[name.replacingOccurrences(of: "basicvsr.", with: "")] = e }
                t = old
            }
        }
        return (folder, run, trainer)
    }

    @Test("a checkpoint written before mmagic's names loads for inference with migrated names")
    func legacyLoads() throws {
        let (folder, _, trainer) = try AlignedTrainingTests.legacyCheckpoint()
        let net = try RealBasicVSRNet.load(checkpoint: folder)
        #expect(net.hrChannels == 4 && net.configuration.alignment == .none)
        #expect(TrainFixtures.values(net.parameters) == trainer.ema.averages.map(\.scalars))
        #expect(net.parameters.allSatisfy { $0.name.hasPrefix("image_cleaning.") || $0.name.hasPrefix("basicvsr.") })
    }

    @Test("resuming a pre-rename run is refused with how to continue from it")
    func legacyResumeRefused() throws {
        let (_, run, _) = try AlignedTrainingTests.legacyCheckpoint()
        var c = TrainFixtures.tinyConfig(iterations: 2)
        c.network.hrChannels = c.network.channels
        let error = #expect(throws: TrainError.self) { try TrainFixtures.trainer(c, out: run, resume: true) }
        #expect(error?.message.contains("init_from") == true && error?.message.contains("mmagic") == true, "\(String(describing: error))")
    }

    @Test("init_from an unaligned checkpoint starts an aligned run with every other weight taken over")
    func initFromUnaligned() throws {
        var plain = TrainFixtures.config(.none, iterations: 1)
        plain.data.patch = 64
        plain.data.frames = 2
        let first = try TrainFixtures.tempDir("plain")
        _ = try TrainFixtures.trainer(plain, out: first).run(until: 1)
        var aligned = TrainFixtures.config(.spynet, iterations: 1)
        aligned.initFrom = first
        let second = try TrainFixtures.trainer(aligned, out: try TrainFixtures.tempDir("aligned"))
        let source = try RealBasicVSRNet.load(checkpoint: first)
        #expect(TrainFixtures.values(second.network.parameters.filter { !$0.name.contains("spynet") })
                == TrainFixtures.values(source.parameters))
        // Mismatched upsampling width: refused with the key to set.
        var wide = aligned
        wide.network.hrChannels = 8
        let error = #expect(throws: TrainError.self) { try TrainFixtures.trainer(wide, out: try TrainFixtures.tempDir("wide")) }
        #expect(error?.message.contains("hr_channels: 4") == true, "\(String(describing: error))")
    }

    @Test("a bare weights file (what tools/convert-weights writes) loads for inference and as init_from")
    func bareWeightsFile() throws {
        var c = TrainFixtures.config(.spynet, iterations: 1)
        let source = RealBasicVSRNet(configuration: c.network, seed: 42)
        let file = "\(try TrainFixtures.tempDir("bare"))/rbvsr.safetensors"
        try source.weights().write(to: file)
        let loaded = try RealBasicVSRNet.load(checkpoint: file)
        #expect(loaded.configuration == c.network)
        #expect(TrainFixtures.values(loaded.stored) == TrainFixtures.values(source.stored))
        c.initFrom = file
        let trainer = try TrainFixtures.trainer(c, out: try TrainFixtures.tempDir("bare-init"))
        #expect(TrainFixtures.values(trainer.network.parameters) == TrainFixtures.values(source.parameters))
    }
}
