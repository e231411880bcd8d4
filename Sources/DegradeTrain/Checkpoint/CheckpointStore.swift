import DegradeMedia
import DegradeTensor
import Foundation

/// Checkpoint folders `ckpt-NNNNNN/` in a training output folder:
///
/// - `generator.safetensors` — raw weights (state-dict names, see `RealBasicVSRNet`)
/// - `ema.safetensors` — EMA weights, the ones to evaluate and export
/// - `optimizer.safetensors` — Adam moments, `<name>.exp_avg` and `<name>.exp_avg_sq`
/// - `<plugin>.safetensors` — state of stage-2 plugins (e.g. a discriminator), when any
/// - `state.json` — `TrainState` (iteration, LR scale, skip and reload counters, stream cursor, config hash, seed,
///   threads, Adam step counts, a checksum per tensor file), written last
///
/// Only finite states are written; reading verifies checksums, finiteness and shapes (`CheckpointDamage`).
///
/// A checkpoint is built in `.tmp-ckpt-NNNNNN/` (each file written and fsync'ed by `AtomicFile`), then the folder is
/// renamed into place and the parent folder fsync'ed, so a `ckpt-*` folder is always complete.
public enum CheckpointStore {
    static let generatorFile = "generator.safetensors"
    static let emaFile = "ema.safetensors"
    static let optimizerFile = "optimizer.safetensors"
    static let stateFile = "state.json"

    public static func folderName(_ iteration: Int) -> String { String(format: "ckpt-%06d", iteration) }

    /// Writes a complete checkpoint of `iteration` and returns its folder. `state.json` records a checksum of every
    /// tensor file, verified when the checkpoint is read.
    /// - Throws: `NonFiniteStateError` (and writes nothing) when any tensor holds NaN or ±inf; `WriteError`.
    @discardableResult
    public static func write(to root: String, network: RealBasicVSRNet, adam: Adam, ema: ExponentialMovingAverage,
                             state: TrainState, extraFiles: [String: SafeTensors] = [:]) throws -> String {
        let params = network.parameters
        let adamState = adam.state
        var files = extraFiles
        files[generatorFile] = network.weights()
        files[emaFile] = network.named(ema.averages)
        var moments = SafeTensors()
        for (i, p) in params.enumerated() {
            moments.tensors["\(p.name).exp_avg"] = .init(shape: p.shape, values: adamState.firstMoments[i].scalars)
            moments.tensors["\(p.name).exp_avg_sq"] = .init(shape: p.shape, values: adamState.secondMoments[i].scalars)
        }
        files[optimizerFile] = moments
        let names = files.keys.sorted()
        for file in names {
            if let tensor = CheckpointIntegrity.firstNonFinite(files[file]!) {
                throw NonFiniteStateError(iteration: state.iteration, file: file, tensor: tensor)
            }
        }
        let fm = FileManager.default
        let name = folderName(state.iteration)
        let temp = "\(root)/.tmp-\(name)", final = "\(root)/\(name)"
        try? fm.removeItem(atPath: temp)
        do {
            try fm.createDirectory(atPath: temp, withIntermediateDirectories: true)
        } catch {
            throw WriteError(temp, "cannot create the checkpoint folder: \(error.localizedDescription)")
        }
        var checksums: [String: String] = [:]
        for file in names {
            let bytes = try files[file]!.encoded()
            try AtomicFile.write(bytes, to: "\(temp)/\(file)")
            checksums[file] = StableHash.checksum(bytes)
        }
        var s = state
        s.adamSteps = adamState.steps
        s.checksums = checksums
        s.stateChecksum = try CheckpointIntegrity.stateChecksum(s)
        try AtomicFile.write(Array(try CheckpointIntegrity.encode(s)), to: "\(temp)/\(stateFile)")
        do {
            if fm.fileExists(atPath: final) { try fm.removeItem(atPath: final) }
            try fm.moveItem(atPath: temp, toPath: final)
        } catch {
            throw WriteError(final, "cannot move the finished checkpoint into place: \(error.localizedDescription)")
        }
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

    /// Checkpoints up to `iteration` whose `state.json` says they hold a known-good state (see
    /// `TrainState.isKnownGood`), newest first. Their tensor files are verified only when loaded.
    static func knownGood(in root: String, atMost iteration: Int = .max) -> [String] {
        list(in: root).reversed().filter { c in
            c.iteration <= iteration && (try? CheckpointIntegrity.readState(c.path))?.isKnownGood == true
        }.map(\.path)
    }

    /// Restores weights, EMA, Adam state and the plugins' state from `folder` after checking everything: every file
    /// present, matching its checksum, finite and fitting the network. Nothing is changed when a check fails (a
    /// plugin refusing its own state is the one late failure; the caller then loads another checkpoint or stops).
    /// - Throws: `TrainError` when the checkpoint belongs to another config (hash); `CheckpointDamage` naming the
    ///   file for anything else (missing, truncated, changed bits, non-finite or mis-shaped tensors).
    public static func load(_ folder: String, network: RealBasicVSRNet, adam: Adam, ema: ExponentialMovingAverage,
                            configHash: String, plugins: [TrainerPlugin] = []) throws -> TrainState {
        let state = try CheckpointIntegrity.readState(folder)
        func read(_ file: String) throws -> SafeTensors {
            try CheckpointIntegrity.read(folder, file, checksums: state.checksums)
        }
        let params = network.parameters
        let generator = try read(generatorFile), averages = try read(emaFile), moments = try read(optimizerFile)
        if RealBasicVSRNet.isLegacy(generator) {
            throw TrainError("\(folder) was written before degrade adopted mmagic's RealBasicVSRNet parameter names and upsampling shapes, so it cannot be resumed; start a new run from its weights with `init_from: \(folder)` (names are migrated on load) or evaluate it as it is with `degrade eval`/`upscale`")
        }
        guard state.hasConfigHash(configHash) else {
            throw TrainError("\(folder) was written under another train config (hash \(state.configHash), this config is \(configHash)); resume with the original config or use a new --out folder")
        }
        let pluginTensors = try plugins.map { try read($0.checkpointFile) }
        do {
            // Under the same config the network is the same, so a misfit is damage, not a mistake of the user.
            try RealBasicVSRNet.check(generator, against: network.stored, path: "\(folder)/\(generatorFile)")
            try RealBasicVSRNet.check(averages, against: network.stored, path: "\(folder)/\(emaFile)")
            let momentNames = SafeTensors(tensors: moments.tensors.filter { $0.key.hasSuffix(".exp_avg") })
            let squareNames = SafeTensors(tensors: moments.tensors.filter { $0.key.hasSuffix(".exp_avg_sq") })
            try RealBasicVSRNet.check(momentNames, against: params, suffix: ".exp_avg", path: "\(folder)/\(optimizerFile)")
            try RealBasicVSRNet.check(squareNames, against: params, suffix: ".exp_avg_sq", path: "\(folder)/\(optimizerFile)")
        } catch let e as TrainError {
            throw CheckpointDamage(checkpoint: folder, "checkpoint \(e.message)")
        }
        guard state.adamSteps.count == params.count else {
            throw CheckpointDamage(checkpoint: folder, "checkpoint file \(folder)/\(stateFile) is corrupt: \(state.adamSteps.count) Adam step counts for \(params.count) parameters")
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
        for (plugin, tensors) in zip(plugins, pluginTensors) {
            do { try plugin.load(checkpointTensors: tensors) } catch {
                throw CheckpointDamage(checkpoint: folder, "checkpoint file \(folder)/\(plugin.checkpointFile) is corrupt: \(error)")
            }
        }
        var restored = state
        restored.adamSteps = []  // now held by `adam`
        restored.checksums = nil
        restored.stateChecksum = nil
        return restored
    }

    /// Deletes all but the newest `keep` checkpoints, sparing the one with the best validation PSNR, the newest
    /// known-good one and `protect` (the trainer's last good checkpoint): a run of skipped steps can then never
    /// rotate away the state it would fall back to.
    static func prune(in root: String, keep: Int, protect: [String] = []) {
        let all = list(in: root)
        guard all.count > keep else { return }
        let states = all.map { (path: $0.path, state: try? CheckpointIntegrity.readState($0.path)) }
        var spared = Set(protect)
        if let best = states.compactMap({ c in c.state?.valPSNR.map { (c.path, $0) } }).max(by: { $0.1 < $1.1 }) {
            spared.insert(best.0)
        }
        if let good = states.last(where: { $0.state?.isKnownGood == true }) { spared.insert(good.path) }
        for c in all.dropLast(keep) where !spared.contains(c.path) {
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
