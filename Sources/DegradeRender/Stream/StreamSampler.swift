import DegradeEngine
import DegradeMedia
import DegradeRandom

/// Sample `index` of epoch `epoch`, as a pure function of (seed, epoch, index): the rule behind
/// `DegradationStream` and the C ABI's random access.
///
/// An epoch has `samplesPerEpoch` samples (default: one per clip). Index i is pass i / clips.count over the
/// clips, in that pass's seeded clip order; pass 0 uses the epoch's order (`StreamOrder`), so the default keeps
/// the keys `<clip>@e<epoch>`, and later passes get fresh orders and keys `<clip>@e<epoch>.<pass>` (distinct keys,
/// distinct degradations).
public struct StreamSampler: Sendable {
    public let origin: StreamOrigin
    public let seed: UInt64
    public let clips: [ClipInfo]
    public let samplesPerEpoch: Int

    public init(origin: StreamOrigin, seed: UInt64, clips: [ClipInfo], samplesPerEpoch: Int? = nil) throws {
        guard !clips.isEmpty else { throw InputError("the stream's source has no clips") }
        let count = samplesPerEpoch ?? clips.count
        guard count >= 1 else { throw InputError("samples per epoch must be ≥ 1, got \(count)") }
        if case .renderedSet = origin, count > clips.count {
            throw InputError("a rendered set has \(clips.count) clips; samples per epoch cannot exceed that (got \(count))")
        }
        self.origin = origin
        self.seed = seed
        self.clips = clips
        self.samplesPerEpoch = count
    }

    /// The clips of `origin`, listed once.
    public static func clips(of origin: StreamOrigin) throws -> [ClipInfo] {
        switch origin {
        case let .render(maker): return try maker.source.clips()
        case let .renderedSet(set): return set.keys.map { ClipInfo(key: $0, frameCount: 0, width: 0, height: 0, origin: set.root) }
        }
    }

    func checkRange(epoch: Int, index: Int) throws {
        guard epoch >= 0 else { throw InputError("epoch must be ≥ 0, got \(epoch)") }
        guard (0..<samplesPerEpoch).contains(index) else {
            throw InputError("index \(index) is out of range: an epoch has \(samplesPerEpoch) samples (0…\(samplesPerEpoch - 1))")
        }
    }

    /// The clip and key of sample (epoch, index), without degrading anything.
    public func locate(epoch: Int, index: Int) throws -> (clip: ClipInfo, key: String) {
        try checkRange(epoch: epoch, index: index)
        let pass = index / clips.count
        let order: [Int]
        if pass == 0 {
            order = StreamOrder.permutation(count: clips.count, seed: seed, epoch: epoch)
        } else {
            var rng = RandomStream(seed: seed, clip: "epoch-\(epoch).\(pass)", stream: "stream-order")
            order = rng.permutation(clips.count)
        }
        let clip = clips[order[index % clips.count]]
        if case .renderedSet = origin { return (clip, clip.key) }
        return (clip, StreamKey.make(clip: clip.key, epoch: epoch, pass: pass))
    }

    /// The plan of sample (epoch, index) (nil for a rendered set without a stored plan).
    public func plan(epoch: Int, index: Int) throws -> DegradationPlan? {
        let (clip, key) = try locate(epoch: epoch, index: index)
        switch origin {
        case let .render(maker): return try Planner.plan(recipe: maker.recipe, seed: seed, clip: clip, key: key)
        case let .renderedSet(set): return try set.load(clip.key).plan
        }
    }

    public func sample(epoch: Int, index: Int) throws -> StreamSample {
        let (clip, key) = try locate(epoch: epoch, index: index)
        switch origin {
        case let .render(maker):
            let plan = try Planner.plan(recipe: maker.recipe, seed: seed, clip: clip, key: key)
            let out = try maker.make(plan)
            return StreamSample(epoch: epoch, index: index, key: plan.key, gt: out.gt, gtUnsharp: out.gtUnsharp, lq: out.lq, plan: plan)
        case let .renderedSet(set):
            let s = try set.load(clip.key)
            return StreamSample(epoch: epoch, index: index, key: clip.key, gt: s.gt, gtUnsharp: s.gtUnsharp, lq: s.lq, plan: s.plan)
        }
    }
}
