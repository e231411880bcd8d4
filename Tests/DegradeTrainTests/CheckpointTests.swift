import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

@Suite("Checkpoints")
struct CheckpointTests {
    @Test("a checkpoint restores weights, EMA, Adam state and counters exactly", arguments: [Alignment.none, .spynet])
    func roundTrip(alignment: Alignment) throws {
        var c = TrainFixtures.config(alignment, iterations: 3)
        c.checkpoint.every = 3
        let out = try TrainFixtures.tempDir("roundtrip")
        let a = try TrainFixtures.trainer(c, out: out)
        #expect(try a.run(until: 3) == .finished)
        let b = try TrainFixtures.trainer(c, out: out, resume: true)
        #expect(b.state == a.state)
        #expect(TrainFixtures.values(b.network.parameters) == TrainFixtures.values(a.network.parameters))
        #expect(b.ema.averages.map(\.scalars) == a.ema.averages.map(\.scalars))
        #expect(TrainFixtures.adamMoments(b.adam) == TrainFixtures.adamMoments(a.adam))
        #expect(b.adam.state.steps == a.adam.state.steps && a.adam.state.steps.allSatisfy { $0 == 3 })
        #expect(b.cursor == 3)
        // The EMA weights load for inference.
        let ema = try RealBasicVSRNet.load(checkpoint: out)
        #expect(TrainFixtures.values(ema.parameters) == a.ema.averages.map(\.scalars))
    }

    @Test("keeps the newest K checkpoints; a leftover temp folder is not a checkpoint")
    func pruning() throws {
        var c = TrainFixtures.tinyConfig(iterations: 5)
        c.checkpoint.every = 1
        c.checkpoint.keep = 2
        let out = try TrainFixtures.tempDir("prune")
        let t = try TrainFixtures.trainer(c, out: out)
        _ = try t.run(until: 5)
        try FileManager.default.createDirectory(atPath: "\(out)/.tmp-ckpt-000009", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(out)/ckpt-000010", withIntermediateDirectories: true)  // no state.json
        #expect(CheckpointStore.list(in: out).map(\.iteration) == [4, 5])
    }

    @Test("a checkpoint from another config is refused")
    func otherConfig() throws {
        let c = TrainFixtures.tinyConfig(iterations: 2)
        let out = try TrainFixtures.tempDir("otherconfig")
        _ = try TrainFixtures.trainer(c, out: out).run(until: 2)
        var other = c
        other.optimizer.lr = 1e-4
        let error = #expect(throws: TrainError.self) { try TrainFixtures.trainer(other, out: out, resume: true) }
        #expect(error?.message.contains("another train config") == true)
        var longer = c
        longer.iterations = 50                 // extending the run is allowed
        #expect(try TrainFixtures.trainer(longer, out: out, resume: true).state.iteration == 2)
    }

    @Test("a fresh run refuses a folder that already holds checkpoints")
    func freshOverExisting() throws {
        let c = TrainFixtures.tinyConfig(iterations: 1)
        let out = try TrainFixtures.tempDir("fresh")
        _ = try TrainFixtures.trainer(c, out: out)
        #expect(throws: TrainError.self) { try TrainFixtures.trainer(c, out: out) }
    }

    @Test("--resume skips a damaged newest checkpoint for the newest intact one and names the file and the damage")
    func corruptFallsBack() throws {
        var c = TrainFixtures.tinyConfig(iterations: 4)
        c.checkpoint.every = 2
        let damages: [(String, String, String)] = [  // damage, file, what the notice must say
            ("truncate", CheckpointStore.generatorFile, "checksum"),
            ("flip", CheckpointStore.emaFile, "checksum"),
            ("nan", CheckpointStore.generatorFile, "non-finite"),
            ("shape", CheckpointStore.generatorFile, "basicvsr.fusion.weight has shape [4, 8, 3, 3]"),
            ("missing", CheckpointStore.optimizerFile, "missing tensors basicvsr.conv_hr.weight.exp_avg"),
            ("gone", CheckpointStore.optimizerFile, "missing"),
            ("state", CheckpointStore.stateFile, "not valid JSON"),
            ("statebits", CheckpointStore.stateFile, "do not match the checksum"),
        ]
        let template = try TrainFixtures.tempDir("corrupt-template")
        _ = try TrainFixtures.trainer(c, out: template).run(until: 4)
        for (damage, name, reason) in damages {
            let out = "\(try TrainFixtures.tempDir("corrupt-\(damage)"))/run"
            try FileManager.default.copyItem(atPath: template, toPath: out)
            let folder = try CheckpointStore.newest(in: out)
            let file = "\(folder)/\(name)"
            switch damage {
            case "truncate":
                let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                try bytes.prefix(bytes.count - 40).write(to: URL(fileURLWithPath: file))
            case "flip":
                try TrainFixtures.flipBit(file)
            case "nan":
                try TrainFixtures.rewrite(folder, name) { $0.tensors["basicvsr.conv_last.weight"]?.values[3] = .nan }
            case "shape":
                try TrainFixtures.rewrite(folder, name) { $0.tensors["basicvsr.fusion.weight"] = .init(shape: [4, 8, 3, 3], values: [Float](repeating: 0, count: 288)) }
            case "missing":
                try TrainFixtures.rewrite(folder, name) { $0.tensors["basicvsr.conv_hr.weight.exp_avg"] = nil }
            case "gone":
                try FileManager.default.removeItem(atPath: file)
            case "statebits":
                let text = try String(contentsOfFile: file, encoding: .utf8)
                #expect(text.contains("\"streamCursor\" : 4"))
                try text.replacingOccurrences(of: "\"streamCursor\" : 4", with: "\"streamCursor\" : 6").write(toFile: file, atomically: false, encoding: .utf8)
            default:
                try Data("{\"iteration\": ".utf8).write(to: URL(fileURLWithPath: file))
            }
            var notices: [String] = []
            let resumed = try TrainFixtures.trainer(c, out: out, resume: true, notice: { notices.append($0) })
            #expect(resumed.state.iteration == 2, "\(damage)")
            #expect(resumed.lastGood == "\(out)/ckpt-000002")
            #expect(notices.contains { $0.contains("skipping \(folder)") && $0.contains(file) && $0.contains(reason) }, "\(damage): \(notices)")
            #expect(notices.contains { $0.contains("resuming from \(out)/ckpt-000002") }, "\(damage): \(notices)")
        }
    }

    @Test("state.json's own checksum is recomputed exactly from the decoded values, awkward doubles included")
    func stateChecksumRoundTrip() throws {
        let folder = try TrainFixtures.tempDir("state-checksum")
        var s = TrainState()
        s.iteration = 123_456
        s.lrScale = 0.1 + 0.2
        s.valPSNR = 27.123456789012345
        s.seed = UInt64.max
        s.configHash = "0abc\"ünïcode\\"
        s.adamSteps = [1, 2, 3]
        s.checksums = ["b.safetensors": "00ff", "a.safetensors": "ff00"]
        s.stateChecksum = try CheckpointIntegrity.stateChecksum(s)
        try CheckpointIntegrity.encode(s).write(to: URL(fileURLWithPath: "\(folder)/\(CheckpointStore.stateFile)"))
        #expect(try CheckpointIntegrity.readState(folder) == s)
        s.valPSNR = 27.123456789012345.nextUp  // one ulp: the smallest change a flipped bit can make
        try CheckpointIntegrity.encode(s).write(to: URL(fileURLWithPath: "\(folder)/\(CheckpointStore.stateFile)"))
        #expect(throws: CheckpointDamage.self) { try CheckpointIntegrity.readState(folder) }
    }

    @Test("resuming the damaged checkpoint's older neighbour reaches bitwise the uninterrupted run's weights")
    func fallbackIsExact() throws {
        var c = TrainFixtures.tinyConfig(iterations: 6)
        c.checkpoint.every = 2
        let whole = try TrainFixtures.trainer(c, out: try TrainFixtures.tempDir("exact-whole"))
        _ = try whole.run(until: 6)
        let out = try TrainFixtures.tempDir("exact-split")
        _ = try TrainFixtures.trainer(c, out: out).run(until: 4)
        try TrainFixtures.flipBit("\(out)/ckpt-000004/\(CheckpointStore.optimizerFile)")
        let resumed = try TrainFixtures.trainer(c, out: out, resume: true)
        #expect(resumed.state.iteration == 2)
        #expect(try resumed.run(until: 6) == .finished)
        #expect(TrainFixtures.values(resumed.network.parameters) == TrainFixtures.values(whole.network.parameters))
        #expect(TrainFixtures.adamMoments(resumed.adam) == TrainFixtures.adamMoments(whole.adam))
        // The damaged checkpoint was rewritten on the way.
        #expect(throws: Never.self) { try RealBasicVSRNet.load(checkpoint: "\(out)/ckpt-000004") }
    }

    @Test("with every checkpoint damaged, --resume fails naming each one")
    func allDamaged() throws {
        var c = TrainFixtures.tinyConfig(iterations: 2)
        c.checkpoint.every = 2
        let out = try TrainFixtures.tempDir("all-damaged")
        _ = try TrainFixtures.trainer(c, out: out).run(until: 2)
        for ckpt in CheckpointStore.list(in: out) { try TrainFixtures.flipBit("\(ckpt.path)/\(CheckpointStore.generatorFile)") }
        let error = #expect(throws: TrainError.self) { try TrainFixtures.trainer(c, out: out, resume: true) }
        let message = error?.message ?? ""
        #expect(message.contains("no intact checkpoint") && message.contains("ckpt-000000/generator.safetensors")
                && message.contains("ckpt-000002/generator.safetensors"), "\(message)")
    }

    @Test("loading a damaged checkpoint for inference or init_from is refused, naming the file")
    func inferenceRefusesDamage() throws {
        var c = TrainFixtures.tinyConfig(iterations: 1)
        let out = try TrainFixtures.tempDir("infer-damaged")
        _ = try TrainFixtures.trainer(c, out: out).run(until: 1)
        let folder = "\(out)/ckpt-000001", ema = "\(folder)/\(CheckpointStore.emaFile)"
        try TrainFixtures.flipBit(ema)
        for path in [folder, out, ema] {
            let error = #expect(throws: CheckpointDamage.self) { try RealBasicVSRNet.load(checkpoint: path) }
            #expect(error?.message.contains(ema) == true && error?.message.contains("checksum") == true, "\(path): \(String(describing: error))")
        }
        c.initFrom = folder
        let error = #expect(throws: CheckpointDamage.self) { try TrainFixtures.trainer(c, out: try TrainFixtures.tempDir("init-damaged")) }
        #expect(error?.message.contains(ema) == true)
        // NaN weights with a matching checksum: refused for the values themselves.
        try TrainFixtures.rewrite(folder, CheckpointStore.emaFile) { $0.tensors["basicvsr.conv_last.weight"]?.values[0] = .nan }
        let nan = #expect(throws: CheckpointDamage.self) { try RealBasicVSRNet.load(checkpoint: folder) }
        #expect(nan?.message.contains("conv_last.weight holds non-finite values") == true, "\(String(describing: nan))")
    }
}
