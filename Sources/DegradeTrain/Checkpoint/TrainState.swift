import DegradeMedia
import Foundation

/// Everything besides tensors that a resumed run needs to continue exactly (`state.json` of a checkpoint).
public struct TrainState: Codable, Sendable, Equatable {
    /// Iterations done (skipped ones included); the next step is `iteration + 1`.
    public var iteration = 0
    /// Multiplier on the scheduled LR; halved on every reload after consecutive skips.
    var lrScale = 1.0
    /// Steps skipped for a non-finite loss or gradient, in total and in the current run of skips.
    public var skipped = 0
    var consecutiveSkips = 0
    /// Reloads of the last good checkpoint after `max_consecutive_skips` skips.
    public var reloads = 0
    /// Reloads since the last finite step: each one was followed by another full run of skips.
    var fruitlessReloads = 0
    /// Stream samples consumed so far (the next batch starts at this global stream position).
    var streamCursor = 0
    /// `TrainConfig.fingerprint` of the config that wrote the checkpoint.
    var configHash = ""
    public var seed: UInt64 = 0
    public var threads = 1
    /// Validation PSNR (EMA weights) at this checkpoint, when validation ran at this iteration.
    var valPSNR: Double? = nil
    /// Adam's per-parameter step counts, in the network's parameter order.
    var adamSteps: [Int] = []
    /// `StableHash.checksum` (FNV-1a 64) of every tensor file of the checkpoint, by file name: set when the
    /// checkpoint is written, verified when it is read. Absent in checkpoints written before checksums existed.
    public var checksums: [String: String]? = nil
    /// The checksum of this state's own canonical JSON (with this field absent), so changed bits in `state.json`
    /// are caught too.
    var stateChecksum: String? = nil
    /// Processes of the data-parallel run that wrote it (absent: one); resuming with another number is refused.
    public var worldSize: Int? = nil

    public init() {}

    /// Whether `configHash` names the config hashed as `hash` (older checkpoints wrote it without zero padding).
    func hasConfigHash(_ hash: String) -> Bool {
        configHash == hash || (UInt64(configHash, radix: 16).map { $0 == UInt64(hash, radix: 16) } ?? false)
    }

    /// Written at a finite step with no reload pending: a checkpoint to fall back to, never pruned while newest.
    var isKnownGood: Bool { consecutiveSkips == 0 && fruitlessReloads == 0 }

    private enum CodingKeys: String, CodingKey {
        case iteration, lrScale, skipped, consecutiveSkips, reloads, fruitlessReloads, streamCursor, configHash, seed,
             threads, valPSNR, adamSteps, checksums, stateChecksum, worldSize
    }

    // Keys added later (fruitlessReloads, checksums, stateChecksum) may be missing from older checkpoints.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iteration = try c.decode(Int.self, forKey: .iteration)
        lrScale = try c.decode(Double.self, forKey: .lrScale)
        skipped = try c.decode(Int.self, forKey: .skipped)
        consecutiveSkips = try c.decode(Int.self, forKey: .consecutiveSkips)
        reloads = try c.decode(Int.self, forKey: .reloads)
        fruitlessReloads = try c.decodeIfPresent(Int.self, forKey: .fruitlessReloads) ?? 0
        streamCursor = try c.decode(Int.self, forKey: .streamCursor)
        configHash = try c.decode(String.self, forKey: .configHash)
        seed = try c.decode(UInt64.self, forKey: .seed)
        threads = try c.decode(Int.self, forKey: .threads)
        valPSNR = try c.decodeIfPresent(Double.self, forKey: .valPSNR)
        adamSteps = try c.decode([Int].self, forKey: .adamSteps)
        checksums = try c.decodeIfPresent([String: String].self, forKey: .checksums)
        stateChecksum = try c.decodeIfPresent(String.self, forKey: .stateChecksum)
        worldSize = try c.decodeIfPresent(Int.self, forKey: .worldSize)
    }
}

extension TrainConfig {
    /// A hash of everything that shapes the training trajectory: the parsed config without `iterations` (may be
    /// extended on resume), the YAML text, and the settings that do not change the numbers (stream workers and
    /// prefetch, checkpoint cadence, validation, when a diverging run gives up) or only their last bits
    /// (`threads`, recorded in `TrainState` instead). Comments and formatting do not count. 16 hex digits.
    public var fingerprint: String {
        var c = self
        c.iterations = 0
        c.source = ""
        c.maxFruitlessReloads = 0
        c.threads = 1
        c.data.workers = 1
        c.data.prefetch = 1
        c.checkpoint = CheckpointConfig()
        c.validation = ValidationConfig()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = (try? encoder.encode(c)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        // Runs started before the `poison_count` test switch left the config (and before `max_fruitless_reloads`
        // existed) hashed `"poisonCount":1` and not the new key: the same text keeps them resumable.
        // Likewise the network and optimizer keys added with SPyNet alignment hash as absent at their defaults, so
        // configs that do not use them keep their hash (runs written before mmagic's layout are told apart by
        // their weights files, see `CheckpointStore.load`).
        text = text.replacingOccurrences(of: "\"alignment\":\"none\",", with: "")
            .replacingOccurrences(of: "\"hrChannels\":64,", with: "")
            .replacingOccurrences(of: ",\"spynetFrozenIterations\":0,\"spynetLRMultiplier\":0.125", with: "")
        text = text.replacingOccurrences(of: "\"maxFruitlessReloads\":0,", with: "")
            .replacingOccurrences(of: "\"recipePath\":", with: "\"poisonCount\":1,\"recipePath\":")
            // Validation is reset above (it does not change the weights); its `niqe` switch came later, and
            // leaving its default out keeps earlier runs resumable.
            .replacingOccurrences(of: ",\"niqe\":false", with: "")
        let hex = String(StableHash.hash(text), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
