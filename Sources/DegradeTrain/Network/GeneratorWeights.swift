import DegradeTensor
import Foundation

extension RealBasicVSRNet {
    /// The network's size, stored in every weights file's metadata so `load(checkpoint:)` can rebuild it.
    /// `layout: mmagic` marks mmagic's names and shapes; files without it predate them (see `migratedLegacy`).
    func metadata() -> [String: String] {
        let c = configuration
        return ["format": "degrade-realbasicvsr", "layout": "mmagic", "channels": "\(c.channels)",
                "cleaning_blocks": "\(c.cleaningBlocks)", "propagation_blocks": "\(c.propagationBlocks)",
                "alignment": c.alignment.rawValue, "hr_channels": "\(c.hrChannels)"]
    }

    /// Everything a weights file holds: the trainable parameters, then the buffers (SPyNet's mean/std).
    var stored: [Parameter] { parameters + buffers }

    /// The current weights under their state-dict names.
    public func weights() -> SafeTensors {
        named(parameters.map(\.value))
    }

    /// `values` (one per trainable parameter, e.g. EMA averages) under the parameters' names, plus the buffers.
    func named(_ values: [Tensor]) -> SafeTensors {
        var out = SafeTensors(metadata: metadata())
        for (p, v) in zip(parameters, values) { out.tensors[p.name] = .init(shape: p.shape, values: v.scalars) }
        for b in buffers { out.tensors[b.name] = .init(shape: b.shape, values: b.value.scalars) }
        return out
    }

    /// Overwrites the weights from `file`, which must hold exactly this network's tensor names and shapes. With
    /// `flowOptional`, a file without SPyNet tensors (an `alignment: none` network) loads into an aligned network,
    /// whose SPyNet keeps its current weights.
    /// - Throws: `TrainError` naming the missing, unexpected or mis-shaped tensors.
    public func load(weights file: SafeTensors, from path: String, flowOptional: Bool = false) throws {
        let flowNames = Set((flowParameters + buffers).map(\.name))
        let skipFlow = flowOptional && !flowNames.isEmpty && !file.tensors.keys.contains(where: flowNames.contains)
        let expected = skipFlow ? stored.filter { !flowNames.contains($0.name) } : stored
        try RealBasicVSRNet.check(file, against: expected, path: path)
        for p in expected {
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
        if !unexpected.isEmpty { problems.append("unexpected tensors \(unexpected.prefix(5).joined(separator: ", "))\(unexpected.count > 5 ? " (+\(unexpected.count - 5))" : "")") }
        for (name, shape) in expected.sorted(by: { $0.key < $1.key }) {
            if let e = file.tensors[name], e.shape != shape { problems.append("\(name) has shape \(e.shape), the network needs \(shape)") }
        }
        guard problems.isEmpty else {
            throw TrainError("\(path) does not fit this network: " + problems.joined(separator: "; "))
        }
    }

    /// Whether a degrade weights file predates mmagic's layout (top-level `backward_resblocks.*`, … and
    /// upsampling at `channels` wide).
    static func isLegacy(_ file: SafeTensors) -> Bool {
        file.metadata["format"] == "degrade-realbasicvsr" && file.metadata["layout"] == nil
    }

    /// A pre-mmagic-layout file under today's names: everything outside `image_cleaning.` moves under `basicvsr.`
    /// (the shapes are kept; such a network is rebuilt with `hr_channels` = `channels`).
    static func migratedLegacy(_ file: SafeTensors) -> SafeTensors {
        var out = SafeTensors(metadata: file.metadata)
        for (name, tensor) in file.tensors {
            out.tensors[name.hasPrefix("image_cleaning.") ? name : "basicvsr." + name] = tensor
        }
        out.metadata["layout"] = "mmagic"
        out.metadata["alignment"] = Alignment.none.rawValue
        out.metadata["hr_channels"] = file.metadata["channels"]
        return out
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
        var weights = try CheckpointIntegrity.read(path: file, checkpoint: isDirectory.boolValue ? folder : file, expected: expected)
        if isLegacy(weights) { weights = migratedLegacy(weights) }
        let m = weights.metadata
        guard let c = m["channels"].flatMap(Int.init), let nc = m["cleaning_blocks"].flatMap(Int.init),
              let np = m["propagation_blocks"].flatMap(Int.init) else {
            throw TrainError("\(file): no network size in the metadata (channels, cleaning_blocks, propagation_blocks); not written by degrade train or tools/convert-weights (which converts mmagic/mmedit RealBasicVSR .pth checkpoints)")
        }
        guard (1...512).contains(c), (0...64).contains(nc), (1...64).contains(np) else {
            throw TrainError("\(file): network size channels \(c), cleaning_blocks \(nc), propagation_blocks \(np) in the metadata is out of range (1…512, 0…64, 1…64)")
        }
        guard let alignment = Alignment(rawValue: m["alignment"] ?? Alignment.none.rawValue),
              let hr = Int(m["hr_channels"] ?? "64"), (1...512).contains(hr) else {
            throw TrainError("\(file): metadata alignment '\(m["alignment"] ?? "")' or hr_channels '\(m["hr_channels"] ?? "")' is not valid (spynet or none; 1…512)")
        }
        let net = RealBasicVSRNet(configuration: .init(channels: c, cleaningBlocks: nc, propagationBlocks: np,
                                                       alignment: alignment, hrChannels: hr), seed: 0)
        try net.load(weights: weights, from: file)
        return net
    }
}
