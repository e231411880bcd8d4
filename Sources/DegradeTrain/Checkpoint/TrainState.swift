import DegradeMedia
import Foundation

/// Everything besides tensors that a resumed run needs to continue exactly (`state.json` of a checkpoint).
public struct TrainState: Codable, Sendable, Equatable {
    /// Iterations done (skipped ones included); the next step is `iteration + 1`.
    public var iteration = 0
    /// Multiplier on the scheduled LR; halved on every reload after consecutive skips.
    public var lrScale = 1.0
    /// Steps skipped for a non-finite loss or gradient, in total and in the current run of skips.
    public var skipped = 0
    public var consecutiveSkips = 0
    /// Reloads of the last good checkpoint after `max_consecutive_skips` skips.
    public var reloads = 0
    /// Stream samples consumed so far (the next batch starts at this global stream position).
    public var streamCursor = 0
    /// `TrainConfig.fingerprint` of the config that wrote the checkpoint.
    public var configHash = ""
    public var seed: UInt64 = 0
    public var threads = 1
    /// Validation PSNR (EMA weights) at this checkpoint, when validation ran at this iteration.
    public var valPSNR: Double? = nil
    /// Adam's per-parameter step counts, in the network's parameter order.
    public var adamSteps: [Int] = []

    public init() {}
}

extension TrainConfig {
    /// A hash of everything that shapes the training trajectory: the parsed config without `iterations` (may be
    /// extended on resume), the YAML text, the test switches, and the settings that do not change the numbers
    /// (stream workers and prefetch, checkpoint cadence, validation) or only their last bits (`threads`, recorded
    /// in `TrainState` instead). Comments and formatting do not count.
    public var fingerprint: String {
        var c = self
        c.iterations = 0
        c.source = ""
        c.poisonIteration = nil
        c.poisonCount = 1
        c.threads = 1
        c.data.workers = 1
        c.data.prefetch = 1
        c.checkpoint = CheckpointConfig()
        c.validation = ValidationConfig()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(c)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return String(StableHash.hash(text), radix: 16)
    }
}
