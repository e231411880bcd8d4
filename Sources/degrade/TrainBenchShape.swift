import ArgumentParser
import DegradeTrain
import Foundation

/// The shapes `bench --train` measures; `tools/bench-train-torch` builds the same ones in PyTorch.
enum TrainShape: String, CaseIterable {
    /// The train config as written.
    case config
    /// 32 ch, upsampling 32 wide, 4+4 blocks, batch 2, 10 frames, LQ 32 → GT 128, no alignment.
    case fixed
    /// The same at LQ 64 → GT 256 (SPyNet's minimum) with SPyNet alignment and mmagic's 64-wide upsampling.
    case aligned

    /// The row label and the config measured (`config`'s optimiser, seed and LR with the shape's network and batch).
    func benchConfig(from config: TrainConfig) -> (String, TrainConfig) {
        if self == .config { return ("config " + config.name, config) }
        var c = config
        c.network = .init()
        c.network.channels = 32
        c.network.cleaningBlocks = 4
        c.network.propagationBlocks = 4
        c.batch = 2
        c.data.frames = 10
        if self == .fixed {
            // 32 wide after upsample2 too, so the figures stay comparable with those measured before mmagic's
            // 64-wide upsampling became the default (the reference numbers).
            c.network.hrChannels = 32
            c.data.patch = 32
            return ("fixed 32ch 4+4 b2 t10 32→128", c)
        }
        c.network.hrChannels = 64
        c.network.alignment = .spynet
        c.data.patch = 64
        return ("aligned 32ch 4+4 b2 t10 64→256", c)
    }
}

/// `--train-shapes config,fixed,aligned`.
struct TrainShapeList: ExpressibleByArgument {
    var names: [TrainShape]

    init(names: [TrainShape]) { self.names = names }

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { TrainShape(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        names = parts.compactMap { $0 }
    }

    var defaultValueDescription: String { names.map(\.rawValue).joined(separator: ",") }
    static var allValueStrings: [String] { TrainShape.allCases.map(\.rawValue) }
}
