import DegradeEngine
import DegradeMedia
import Foundation
import Synchronization

/// The prefetch window and the worker loop behind a `DegradationStream`.
final class StreamCore: Sendable {
    let sampler: StreamSampler
    let prefetch: Int
    var origin: StreamOrigin { sampler.origin }
    var seed: UInt64 { sampler.seed }
    var clips: [ClipInfo] { sampler.clips }
    let state: Mutex<State>
    let condition = NSCondition()
    let cancelled = Atomic<Bool>(false)
    /// Worker threads that have not returned yet.
    let runningWorkers = Atomic<Int>(0)

    struct State {
        var nextToClaim: Int
        var nextToYield: Int
        var ready: [Int: Result<StreamSample, StreamError>] = [:]
    }

    init(sampler: StreamSampler, prefetch: Int, start: Int) {
        self.sampler = sampler
        self.prefetch = prefetch
        state = Mutex(State(nextToClaim: start, nextToYield: start))
    }

    func next() throws -> StreamSample? {
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

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
        condition.lock()
        state.withLock { $0.ready.removeAll() }  // nobody will take them: free the memory now
        condition.broadcast()
        condition.unlock()
    }

    func work() {
        defer { runningWorkers.subtract(1, ordering: .relaxed) }
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
            guard let position, !cancelled.load(ordering: .relaxed) else { return }
            let result = Result { try produce(position) }.mapError { StreamError(position: position, underlying: $0) }
            condition.lock()
            if !cancelled.load(ordering: .relaxed) { state.withLock { $0.ready[position] = result } }
            condition.broadcast()
            condition.unlock()
        }
    }

    func produce(_ position: Int) throws -> StreamSample {
        try sampler.sample(epoch: position / sampler.samplesPerEpoch, index: position % sampler.samplesPerEpoch)
    }
}
