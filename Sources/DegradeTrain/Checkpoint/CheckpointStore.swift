import DegradeMedia
import DegradeTensor
import Foundation

/// Checkpoint folders `ckpt-NNNNNN/` in a training output folder:
///
/// - `generator.safetensors` — raw weights (state-dict names, see `RealBasicVSRNet`)
/// - `ema.safetensors` — EMA weights, the ones to evaluate and export
/// - `optimizer.safetensors` — Adam moments, `<name>.exp_avg` and `<name>.exp_avg_sq`
/// - `<plugin>.safetensors` — state of stage-2 plugins (e.g. a discriminator), when any
/// - `state.json` — `TrainState` (iteration, LR scale, skip counters, stream cursor, config hash, seed, threads,
///   Adam step counts), written last
///
/// A checkpoint is built in `.tmp-ckpt-NNNNNN/` (each file written and fsync'ed by `AtomicFile`), then the folder is
/// renamed into place and the parent folder fsync'ed, so a `ckpt-*` folder is always complete.
public enum CheckpointStore {
    public static let generatorFile = "generator.safetensors"
    public static let emaFile = "ema.safetensors"
    public static let optimizerFile = "optimizer.safetensors"
    public static let stateFile = "state.json"

    public static func folderName(_ iteration: Int) -> String { String(format: "ckpt-%06d", iteration) }

    /// Writes a complete checkpoint of `iteration` and returns its folder.
    @discardableResult
    public static func write(to root: String, network: RealBasicVSRNet, adam: Adam, ema: ExponentialMovingAverage,
                             state: TrainState, extraFiles: [String: SafeTensors] = [:]) throws -> String {
        let fm = FileManager.default
        let name = folderName(state.iteration)
        let temp = "\(root)/.tmp-\(name)", final = "\(root)/\(name)"
        try? fm.removeItem(atPath: temp)
        try fm.createDirectory(atPath: temp, withIntermediateDirectories: true)
        let params = network.parameters
        try network.weights().write(to: "\(temp)/\(generatorFile)")
        try RealBasicVSRNet.named(params, ema.averages, network.configuration).write(to: "\(temp)/\(emaFile)")
        let adamState = adam.state
        var moments = SafeTensors()
        for (i, p) in params.enumerated() {
            moments.tensors["\(p.name).exp_avg"] = .init(shape: p.shape, values: adamState.firstMoments[i].scalars)
            moments.tensors["\(p.name).exp_avg_sq"] = .init(shape: p.shape, values: adamState.secondMoments[i].scalars)
        }
        try moments.write(to: "\(temp)/\(optimizerFile)")
        for (file, tensors) in extraFiles { try tensors.write(to: "\(temp)/\(file)") }
        var s = state
        s.adamSteps = adamState.steps
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(s)), to: "\(temp)/\(stateFile)")
        if fm.fileExists(atPath: final) { try fm.removeItem(atPath: final) }
        try fm.moveItem(atPath: temp, toPath: final)
        syncDirectory(root)
        return final
    }

    /// Completed checkpoints in `root` as (iteration, folder), oldest first. Only `ckpt-*` folders with a
    /// `state.json` count; leftover `.tmp-*` folders of an interrupted write are ignored.
    public static func list(in root: String) -> [(iteration: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("ckpt-"), let i = Int(name.dropFirst(5)),
                  FileManager.default.fileExists(atPath: "\(root)/\(name)/\(stateFile)") else { return nil }
            return (i, "\(root)/\(name)")
        }.sorted { $0.0 < $1.0 }
    }

    /// The newest complete checkpoint folder in `root`.
    public static func newest(in root: String) throws -> String {
        guard let last = list(in: root).last else { throw TrainError("\(root): no checkpoint (ckpt-NNNNNN/ with state.json) to resume from") }
        return last.path
    }

    /// The newest checkpoint written while no skips were pending (`consecutiveSkips == 0`): the one to fall back
    /// to after repeated non-finite steps.
    public static func newestGood(in root: String) throws -> String {
        for c in list(in: root).reversed() {
            if let data = FileManager.default.contents(atPath: "\(c.path)/\(stateFile)"),
               let s = try? JSONDecoder().decode(TrainState.self, from: data), s.consecutiveSkips == 0 {
                return c.path
            }
        }
        throw TrainError("\(root): no checkpoint written before the skipped steps to reload")
    }

    /// Restores weights, EMA and Adam state from `folder` after checking everything fits; nothing is changed
    /// when it throws.
    /// - Throws: `TrainError` for another config (hash), missing/unexpected/mis-shaped tensors, truncated files.
    public static func load(_ folder: String, network: RealBasicVSRNet, adam: Adam, ema: ExponentialMovingAverage,
                            configHash: String) throws -> TrainState {
        let state: TrainState
        do {
            state = try JSONDecoder().decode(TrainState.self, from: Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(stateFile)")))
        } catch {
            throw TrainError("\(folder)/\(stateFile) is unreadable or corrupt: \(error)")
        }
        guard state.configHash == configHash else {
            throw TrainError("\(folder) was written under another train config (hash \(state.configHash), this config is \(configHash)); resume with the original config or use a new --out folder")
        }
        func read(_ file: String) throws -> SafeTensors {
            do { return try SafeTensors.read("\(folder)/\(file)") } catch let e as SafeTensorsError {
                throw TrainError("checkpoint \(e.path) is corrupt: \(e.message)")
            }
        }
        let params = network.parameters
        let generator = try read(generatorFile), averages = try read(emaFile), moments = try read(optimizerFile)
        try RealBasicVSRNet.check(generator, against: params, path: "\(folder)/\(generatorFile)")
        try RealBasicVSRNet.check(averages, against: params, path: "\(folder)/\(emaFile)")
        let momentNames = SafeTensors(tensors: moments.tensors.filter { $0.key.hasSuffix(".exp_avg") })
        let squareNames = SafeTensors(tensors: moments.tensors.filter { $0.key.hasSuffix(".exp_avg_sq") })
        try RealBasicVSRNet.check(momentNames, against: params, suffix: ".exp_avg", path: "\(folder)/\(optimizerFile)")
        try RealBasicVSRNet.check(squareNames, against: params, suffix: ".exp_avg_sq", path: "\(folder)/\(optimizerFile)")
        guard state.adamSteps.count == params.count else {
            throw TrainError("\(folder)/\(stateFile): \(state.adamSteps.count) Adam step counts for \(params.count) parameters")
        }
        func tensor(_ f: SafeTensors, _ name: String) -> Tensor {
            let e = f.tensors[name]!
            return Tensor(shape: e.shape, scalars: e.values)
        }
        try adam.load(Adam.State(steps: state.adamSteps,
                                 firstMoments: params.map { tensor(moments, "\($0.name).exp_avg") },
                                 secondMoments: params.map { tensor(moments, "\($0.name).exp_avg_sq") }))
        try ema.load(averages: params.map { tensor(averages, $0.name) })
        try network.load(weights: generator, from: "\(folder)/\(generatorFile)")
        var restored = state
        restored.adamSteps = []  // now held by `adam`
        return restored
    }

    /// Deletes all but the newest `keep` checkpoints, sparing the one with the best validation PSNR.
    public static func prune(in root: String, keep: Int) {
        let all = list(in: root)
        guard all.count > keep else { return }
        let best = all.compactMap { c -> (String, Double)? in
            guard let data = FileManager.default.contents(atPath: "\(c.path)/\(stateFile)"),
                  let s = try? JSONDecoder().decode(TrainState.self, from: data), let p = s.valPSNR else { return nil }
            return (c.path, p)
        }.max { $0.1 < $1.1 }?.0
        for c in all.dropLast(keep) where c.path != best {
            try? FileManager.default.removeItem(atPath: c.path)
        }
    }

    /// fsync of a folder so a rename inside it survives a crash.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
