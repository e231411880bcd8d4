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
    /// Samples that failed on bad input and that this one stands in for (`skipBadSamples`): empty normally.
    public var replaced: [SkippedSample] = []
}

/// Where a stream's samples come from: rendered on the fly from clips and a recipe, or read from a rendered set.
public enum StreamOrigin: Sendable {
    case render(SampleMaker)
    case renderedSet(RenderedSet)
}

/// Yields samples from N worker threads through a bounded prefetch queue, in index order.
///
/// Sample `i` of epoch `e` is a pure function of (seed, e, i) (`StreamSampler`): the epoch's clip order is a seeded
/// permutation, sample i takes clip order[i] and is degraded under the key `<clip>@e<e>` — so the sequence is
/// identical for 1 or 8 workers. Memory is bounded by `prefetch` samples (finished or in flight), whatever
/// the dataset size; workers block when the window is full (backpressure), and `cancel()` (or releasing
/// the stream) stops them.
public final class DegradationStream: Sendable {
    public let workers: Int
    /// The shared state the worker threads run on. Workers hold only this, never the stream itself, so
    /// releasing the last reference to the stream runs `deinit`, which cancels them.
    let core: StreamCore

    public var origin: StreamOrigin { core.origin }
    public var seed: UInt64 { core.seed }
    public var prefetch: Int { core.prefetch }
    var clips: [ClipInfo] { core.clips }

    /// Starts at global position `start` (epoch × samplesPerEpoch + index), so a resumed training run
    /// continues the exact same sequence.
    /// `skipBadSamples`: a sample whose source frames cannot be read (a damaged video window, an unreadable frame
    /// file) is replaced as `StreamSampler.sample` describes, instead of ending the stream with the error.
    public init(origin: StreamOrigin, seed: UInt64, workers: Int = 1, prefetch: Int = 4, start: Int = 0, samplesPerEpoch: Int? = nil,
                skipBadSamples: Bool = false) throws {
        let sampler = try StreamSampler(origin: origin, seed: seed, clips: try StreamSampler.clips(of: origin), samplesPerEpoch: samplesPerEpoch,
                                        skipBadSamples: skipBadSamples)
        self.workers = max(1, workers)
        core = StreamCore(sampler: sampler, prefetch: max(1, prefetch), start: max(0, start))
        for w in 0..<self.workers {
            core.runningWorkers.add(1, ordering: .relaxed)
            let thread = Thread { [core] in core.work() }
            thread.name = "degrade-stream-\(w)"
            thread.start()
        }
    }

    deinit { core.cancel() }

    public var samplesPerEpoch: Int { core.sampler.samplesPerEpoch }

    /// Blocks until the next sample in order is ready; nil after `cancel()`.
    public func next() throws -> StreamSample? { try core.next() }

    /// Stops the workers (each finishes at most the sample it is producing) and wakes a blocked `next()`.
    public func cancel() { core.cancel() }

    /// The sample at global `position`: a pure function of (seed, epoch, index).
    public func produce(_ position: Int) throws -> StreamSample { try core.produce(position) }
}

/// A sample the stream could not make: its position and the error, kept whole so the exit status follows it
/// (a damaged input file is exit 2).
public struct StreamError: Error, CustomStringConvertible, Sendable {
    public var position: Int
    public var underlying: any Error
    public var description: String { "stream sample \(position): \(underlying)" }
}

/// The seeded clip order of each epoch.
enum StreamOrder {
    public static func permutation(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        var rng = RandomStream(seed: seed, clip: "epoch-\(epoch)", stream: "stream-order")
        return rng.permutation(count)
    }
}
