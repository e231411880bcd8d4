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
    /// Replace samples whose source cannot be read instead of failing (see `sample(epoch:index:)`).
    public let skipBadSamples: Bool
    /// Samples tried in a row before a bad stretch ends the stream anyway.
    public static let replacementTries = 8

    public init(origin: StreamOrigin, seed: UInt64, clips: [ClipInfo], samplesPerEpoch: Int? = nil, skipBadSamples: Bool = false) throws {
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
        self.skipBadSamples = skipBadSamples
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

    /// Sample (epoch, index). With `skipBadSamples`, a sample whose source frames cannot be read (`MediaError`: a
    /// damaged video window, a broken frame file) is replaced by the next sample of the stream that can be made
    /// (index + 1, + 2, …, into the next epoch after the last index; at most `replacementTries` in all), returned
    /// at the requested position with the failures in `replaced`. The replacement depends only on (seed, epoch,
    /// index), so the stream is the same for any worker count; it repeats a neighbouring sample. Other errors
    /// (recipe, plan, runtime) are never skipped.
    public func sample(epoch: Int, index: Int) throws -> StreamSample {
        guard skipBadSamples else { return try make(epoch: epoch, index: index) }
        try checkRange(epoch: epoch, index: index)
        var failures: [SkippedSample] = []
        let position = epoch * samplesPerEpoch + index
        for k in 0..<Self.replacementTries {
            let (e, i) = ((position + k) / samplesPerEpoch, (position + k) % samplesPerEpoch)
            do {
                var s = try make(epoch: e, index: i)
                (s.epoch, s.index) = (epoch, index)
                s.replaced = failures
                return s
            } catch let error as MediaError {
                let key = (try? locate(epoch: e, index: i).key) ?? "?"
                failures.append(SkippedSample(epoch: e, index: i, key: key, file: error.path, reason: error.reason))
            }
        }
        let listed = failures.map { "\($0.key): \($0.file): \($0.reason)" }.joined(separator: "; ")
        throw InputError("stream sample \(index) of epoch \(epoch) and the \(failures.count - 1) samples after it all have unreadable source frames: \(listed)")
    }

    private func make(epoch: Int, index: Int) throws -> StreamSample {
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

/// A stream sample that was skipped because its source frames could not be read.
public struct SkippedSample: Sendable, Equatable, CustomStringConvertible {
    public var epoch: Int
    public var index: Int
    public var key: String
    /// The file the error names, and what was wrong (with the frame and time for video files).
    public var file: String
    public var reason: String

    public var description: String { "epoch \(epoch) index \(index) (\(key)): \(file): \(reason)" }
}
