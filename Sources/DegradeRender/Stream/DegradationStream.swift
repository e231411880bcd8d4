import DegradeEngine
import DegradeMedia
import DegradeRandom
import Foundation
import Synchronization

/// One training sample.
public struct StreamSample: Sendable {
    /// Position in the stream: epoch and index within the epoch.
    public var epoch: Int
    public var index: Int
    public var key: String
    public var gt: [Image]
    public var gtUnsharp: [Image]?
    public var lq: [Image]
    public var plan: DegradationPlan?
}

/// Where a stream's samples come from: rendered on the fly from clips and a recipe, or read from a rendered set.
public enum StreamOrigin: Sendable {
    case render(SampleMaker)
    case renderedSet(RenderedSet)
}

/// Yields samples from N worker threads through a bounded prefetch queue, in index order.
///
/// Sample `i` of epoch `e` is a pure function of (seed, e, i): the epoch's clip order is a seeded permutation,
/// sample i takes clip order[i mod count] and is degraded under the key `<clip>@e<e>` — so the sequence is
/// identical for 1 or 8 workers. Memory is bounded by `prefetch` samples (finished or in flight), whatever
/// the dataset size; workers block when the window is full (backpressure), and `cancel()` (or releasing
/// the stream) stops them.
public final class DegradationStream: Sendable {
    public let origin: StreamOrigin
    public let seed: UInt64
    public let workers: Int
    public let prefetch: Int
    let clips: [ClipInfo]
    let state: Mutex<State>
    let condition = NSCondition()
    let cancelled = Atomic<Bool>(false)

    struct State {
        var nextToClaim: Int
        var nextToYield: Int
        var ready: [Int: Result<StreamSample, StreamError>] = [:]
    }

    /// Starts at global position `start` (epoch × samplesPerEpoch + index), so a resumed training run
    /// continues the exact same sequence.
    public init(origin: StreamOrigin, seed: UInt64, workers: Int = 1, prefetch: Int = 4, start: Int = 0) throws {
        self.origin = origin
        self.seed = seed
        self.workers = max(1, workers)
        self.prefetch = max(1, prefetch)
        switch origin {
        case let .render(maker): clips = try maker.source.clips()
        case let .renderedSet(set): clips = set.keys.map { ClipInfo(key: $0, frameCount: 0, width: 0, height: 0, origin: set.root) }
        }
        guard !clips.isEmpty else { throw InputError("the stream's source has no clips") }
        state = Mutex(State(nextToClaim: start, nextToYield: start))
        for w in 0..<self.workers {
            let thread = Thread { [weak self] in self?.work() }
            thread.name = "degrade-stream-\(w)"
            thread.start()
        }
    }

    deinit { cancel() }

    public var samplesPerEpoch: Int { clips.count }

    /// Blocks until the next sample in order is ready; nil after `cancel()`.
    public func next() throws -> StreamSample? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if cancelled.load(ordering: .relaxed) { return nil }
            let result: Result<StreamSample, StreamError>? = state.withLock { s in
                guard let r = s.ready.removeValue(forKey: s.nextToYield) else { return nil }
                s.nextToYield += 1
                return r
            }
            if let result {
                condition.broadcast()  // a slot freed up
                return try result.get()
            }
            condition.wait()
        }
    }

    public func cancel() {
        cancelled.store(true, ordering: .relaxed)
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    func work() {
        while !cancelled.load(ordering: .relaxed) {
            // Claim the next position, waiting while the prefetch window is full.
            condition.lock()
            var position: Int?
            while !cancelled.load(ordering: .relaxed) {
                position = state.withLock { s -> Int? in
                    guard s.nextToClaim < s.nextToYield + prefetch else { return nil }
                    defer { s.nextToClaim += 1 }
                    return s.nextToClaim
                }
                if position != nil { break }
                condition.wait()
            }
            condition.unlock()
            guard let position else { return }
            let result = Result { try produce(position) }.mapError { StreamError(position: position, underlying: "\($0)") }
            condition.lock()
            state.withLock { $0.ready[position] = result }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The sample at global `position`: a pure function of (seed, epoch, index).
    public func produce(_ position: Int) throws -> StreamSample {
        let epoch = position / clips.count, index = position % clips.count
        let clip = clips[StreamOrder.permutation(count: clips.count, seed: seed, epoch: epoch)[index]]
        switch origin {
        case let .render(maker):
            let plan = try Planner.plan(recipe: maker.recipe, seed: seed, clip: clip, key: "\(clip.key)@e\(epoch)")
            let out = try maker.make(plan)
            return StreamSample(epoch: epoch, index: index, key: plan.key, gt: out.gt, gtUnsharp: out.gtUnsharp, lq: out.lq, plan: plan)
        case let .renderedSet(set):
            let s = try set.load(clip.key)
            return StreamSample(epoch: epoch, index: index, key: clip.key, gt: s.gt, gtUnsharp: s.gtUnsharp, lq: s.lq, plan: s.plan)
        }
    }
}

public struct StreamError: Error, CustomStringConvertible, Sendable {
    public var position: Int
    public var underlying: String
    public var description: String { "stream sample \(position): \(underlying)" }
}

/// The seeded clip order of each epoch.
public enum StreamOrder {
    public static func permutation(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        var rng = RandomStream(seed: seed, clip: "epoch-\(epoch)", stream: "stream-order")
        return rng.permutation(count)
    }
}
