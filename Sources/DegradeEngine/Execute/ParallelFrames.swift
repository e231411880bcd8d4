import Dispatch
import Synchronization

/// Runs independent per-frame work on up to `threads` threads. Each frame's result depends only on its
/// inputs, so the output is identical for any thread count.
enum ParallelFrames {
    static func map<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        if threads <= 1 || count <= 1 {
            return try (0..<count).map(body)
        }
        let results = Mutex<[T?]>(Array(repeating: nil, count: count))
        let failure = Mutex<Error?>(nil)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(threads, count)) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= count || failure.withLock({ $0 != nil }) { return }
                do {
                    let value = try body(i)
                    results.withLock { $0[i] = value }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.map { $0! } }
    }
}
