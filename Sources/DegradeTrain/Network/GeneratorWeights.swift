import DegradeTensor
import Foundation

extension RealBasicVSRNet {
    /// The network's size, stored in every weights file's metadata so `load(checkpoint:)` can rebuild it.
    static func metadata(_ c: TrainConfig.NetworkConfig) -> [String: String] {
        ["format": "degrade-realbasicvsr", "channels": "\(c.channels)",
         "cleaning_blocks": "\(c.cleaningBlocks)", "propagation_blocks": "\(c.propagationBlocks)"]
    }

    /// The current weights under their state-dict names.
    public func weights() -> SafeTensors {
        RealBasicVSRNet.named(parameters, parameters.map(\.value), configuration)
    }

    static func named(_ parameters: [Parameter], _ values: [Tensor], _ c: TrainConfig.NetworkConfig) -> SafeTensors {
        var out = SafeTensors(metadata: metadata(c))
        for (p, v) in zip(parameters, values) { out.tensors[p.name] = .init(shape: p.shape, values: v.scalars) }
        return out
    }

    /// Overwrites the weights from `file`, which must hold exactly this network's tensor names and shapes.
    /// - Throws: `TrainError` naming the missing, unexpected or mis-shaped tensors.
    public func load(weights file: SafeTensors, from path: String) throws {
        try RealBasicVSRNet.check(file, against: parameters, path: path)
        for p in parameters {
            let e = file.tensors[p.name]!
            p.assign(Tensor(shape: e.shape, scalars: e.values))
        }
    }

    /// Verifies names and shapes before anything is assigned, so a bad file leaves the network untouched.
    static func check(_ file: SafeTensors, against parameters: [Parameter], suffix: String = "", path: String) throws {
        let expected = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name + suffix, $0.shape) })
        let missing = expected.keys.filter { file.tensors[$0] == nil }.sorted()
        let unexpected = file.tensors.keys.filter { expected[$0] == nil }.sorted()
        var problems: [String] = []
        if !missing.isEmpty { problems.append("missing tensors \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? " (+\(missing.count - 5))" : "")") }
        if !unexpected.isEmpty { problems.append("unexpected tensors \(unexpected.prefix(5).joined(separator: ", "))") }
        for (name, shape) in expected.sorted(by: { $0.key < $1.key }) {
            if let e = file.tensors[name], e.shape != shape { problems.append("\(name) has shape \(e.shape), the network needs \(shape)") }
        }
        guard problems.isEmpty else {
            throw TrainError("\(path) does not fit this network: " + problems.joined(separator: "; "))
        }
    }

    /// A network rebuilt from a checkpoint for inference, holding its EMA weights (the ones used for validation
    /// and export). `checkpoint` may be a checkpoint folder (`ckpt-000100/`), a training output folder (its newest
    /// complete checkpoint is used) or a weights `.safetensors` file written by the trainer. A file inside a
    /// checkpoint folder is checked against the checksum its `state.json` records; all values must be finite.
    /// - Throws: `TrainError` (no such path, not a degrade network), `CheckpointDamage` naming the damaged file.
    public static func load(checkpoint: String) throws -> RealBasicVSRNet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: checkpoint, isDirectory: &isDirectory) else {
            throw TrainError("\(checkpoint): no such checkpoint")
        }
        var file = checkpoint
        if isDirectory.boolValue {
            let folder = FileManager.default.fileExists(atPath: "\(checkpoint)/\(CheckpointStore.emaFile)")
                || FileManager.default.fileExists(atPath: "\(checkpoint)/\(CheckpointStore.stateFile)")
                ? checkpoint : try CheckpointStore.newest(in: checkpoint)
            file = "\(folder)/\(CheckpointStore.emaFile)"
        }
        let folder = (file as NSString).deletingLastPathComponent
        var expected: String? = nil
        if FileManager.default.fileExists(atPath: "\(folder)/\(CheckpointStore.stateFile)") {
            let state = try CheckpointIntegrity.readState(folder)
            expected = state.checksums?[(file as NSString).lastPathComponent]
        }
        let weights = try CheckpointIntegrity.read(path: file, checkpoint: isDirectory.boolValue ? folder : file, expected: expected)
        let m = weights.metadata
        guard let c = m["channels"].flatMap(Int.init), let nc = m["cleaning_blocks"].flatMap(Int.init),
              let np = m["propagation_blocks"].flatMap(Int.init) else {
            throw TrainError("\(file): no network size in the metadata (channels, cleaning_blocks, propagation_blocks); not written by degrade train")
        }
        guard (1...512).contains(c), (0...64).contains(nc), (1...64).contains(np) else {
            throw TrainError("\(file): network size channels \(c), cleaning_blocks \(nc), propagation_blocks \(np) in the metadata is out of range (1…512, 0…64, 1…64)")
        }
        let net = RealBasicVSRNet(configuration: .init(channels: c, cleaningBlocks: nc, propagationBlocks: np), seed: 0)
        try net.load(weights: weights, from: file)
        return net
    }
}
