import Dispatch
import DegradeMedia
import DegradeRender
import Synchronization

/// Batches for one rank of a data-parallel run. Step s covers the `size × batch` consecutive stream positions
/// starting at `s × size × batch`; the rank takes its share of them by `StreamShard` (the split rule the Python
/// bridge's iterable dataset uses), with the step number as the shard's epoch. Shares are disjoint and together
/// cover the step's positions, so N ranks see exactly the samples one process with batch N × batch would see, and
/// each rank computes its own share from (seed, step, rank, size) without talking to the others.
public final class ShardedBatchSource: BatchSource {
    public let sampler: StreamSampler
    public let patches: PatchSampler
    public let batch: Int
    public let rank: Int
    public let size: Int
    let sharpenedGT: Bool
    let workers: Int
    /// Global stream positions consumed by all ranks together (`state.streamCursor`).
    public private(set) var cursor: Int
    let onSkip: (SkippedSample) -> Void

    public init(origin: StreamOrigin, config: TrainConfig, cursor: Int, rank: Int, size: Int,
                onSkip: @escaping (SkippedSample) -> Void = { _ in }) throws {
        sampler = try StreamSampler(origin: origin, seed: config.seed, clips: try StreamSampler.clips(of: origin),
                                    skipBadSamples: config.data.skipBadSamples == true)
        self.onSkip = onSkip
        patches = PatchSampler(frames: config.data.frames, patch: config.data.patch, seed: config.seed)
        batch = config.batch
        sharpenedGT = config.loss.sharpenedGT
        workers = max(1, config.data.workers)
        self.rank = rank
        self.size = size
        self.cursor = cursor
    }

    /// The stream positions rank `rank` of `size` trains on at the step that starts at global position `cursor`.
    public static func positions(cursor: Int, batch: Int, seed: UInt64, rank: Int, size: Int) throws -> [Int] {
        let span = batch * size
        return try StreamShard.indices(count: span, seed: seed, epoch: cursor / span, part: rank, parts: size).map { cursor + $0 }
    }

    public func next() throws -> TrainingBatch {
        let positions = try Self.positions(cursor: cursor, batch: batch, seed: sampler.seed, rank: rank, size: size)
        let per = sampler.samplesPerEpoch
        struct Cut: Sendable {
            var lq, target: [Image]
            var key: String
            var replaced: [SkippedSample]
        }
        let results = Mutex<[Result<Cut, Error>?]>(Array(repeating: nil, count: positions.count))
        let work: @Sendable (Int) -> Void = { [sampler, patches, sharpenedGT] i in
            let r = Result<Cut, Error> {
                let p = positions[i]
                let s = try sampler.sample(epoch: p / per, index: p % per)
                let cut = try patches.cut(key: s.key, lq: s.lq, gt: sharpenedGT ? (s.gtUnsharp ?? s.gt) : s.gt)
                return Cut(lq: cut.lq, target: cut.target, key: s.key, replaced: s.replaced)
            }
            results.withLock { $0[i] = r }
        }
        // Samples are pure functions of their position, so producing them concurrently changes no byte.
        if workers == 1 || positions.count == 1 {
            for i in positions.indices { work(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: positions.count, execute: work)
        }
        let done = try results.withLock { $0 }.map { try $0!.get() }
        done.forEach { $0.replaced.forEach(onSkip) }
        cursor += batch * size
        return TrainingBatch(lq: ClipTensor.batch(done.map(\.lq)), target: ClipTensor.batch(done.map(\.target)), keys: done.map(\.key))
    }
}
