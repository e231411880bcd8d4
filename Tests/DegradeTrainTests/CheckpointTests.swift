import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

@Suite("Checkpoints")
struct CheckpointTests {
    @Test("a checkpoint restores weights, EMA, Adam state and counters exactly")
    func roundTrip() throws {
        var c = TrainFixtures.tinyConfig(iterations: 3)
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

    @Test("truncated files and mis-shaped or missing tensors are refused with the file named")
    func corrupt() throws {
        let c = TrainFixtures.tinyConfig(iterations: 1)
        for damage in ["truncate", "shape", "missing", "state"] {
            let out = try TrainFixtures.tempDir("corrupt-\(damage)")
            _ = try TrainFixtures.trainer(c, out: out).run(until: 1)
            let folder = try CheckpointStore.newest(in: out)
            let file = "\(folder)/\(damage == "missing" ? CheckpointStore.optimizerFile : CheckpointStore.generatorFile)"
            switch damage {
            case "truncate":
                let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                try bytes.prefix(bytes.count - 40).write(to: URL(fileURLWithPath: file))
            case "shape":
                var w = try SafeTensors.read(file)
                w.tensors["fusion.weight"] = .init(shape: [4, 8, 3, 3], values: [Float](repeating: 0, count: 288))
                try w.write(to: file)
            case "missing":
                var w = try SafeTensors.read(file)
                w.tensors["conv_hr.weight.exp_avg"] = nil
                try w.write(to: file)
            default:
                try Data("{\"iteration\": ".utf8).write(to: URL(fileURLWithPath: "\(folder)/\(CheckpointStore.stateFile)"))
            }
            let error = #expect(throws: TrainError.self) { try TrainFixtures.trainer(c, out: out, resume: true) }
            let message = error?.message ?? ""
            #expect(message.contains(folder), "\(damage): \(message)")
            switch damage {
            case "truncate": #expect(message.contains("truncated"), "\(message)")
            case "shape": #expect(message.contains("fusion.weight has shape [4, 8, 3, 3]"), "\(message)")
            case "missing": #expect(message.contains("missing tensors conv_hr.weight.exp_avg"), "\(message)")
            default: #expect(message.contains("corrupt"), "\(message)")
            }
        }
    }
}
