import Synchronization

/// A cache of freed Float32 buffers, binned by exact element count.
///
/// Training repeats the same shapes every step, so after the first step nearly every tensor and workspace is served
/// from here instead of `malloc`, which for large buffers means fresh `mmap`s and page faults on every op. Buffers
/// are 64-byte aligned and uninitialised. The cache keeps at most `limitBytes` (4 GiB); beyond that freed buffers go
/// back to the system.
final class BufferPool: Sendable {
    static let shared = BufferPool()

    private struct State {
        /// Addresses (pointers are not Sendable, so the locked state keeps them as integers).
        var free: [Int: [UInt]] = [:]
        var cachedBytes = 0
        var limitBytes = 4 << 30
    }
    private let state = Mutex(State())

    /// A buffer of at least `count` (≥ 1) floats, from the cache when one of that size is free.
    func acquire(_ count: Int) -> UnsafeMutablePointer<Float> {
        let n = max(count, 1)
        let cached: UInt? = state.withLock { s in
            guard let p = s.free[n]?.popLast() else { return nil }
            s.cachedBytes -= n * MemoryLayout<Float>.stride
            return p
        }
        if let cached { return UnsafeMutablePointer(bitPattern: cached)! }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Float>.stride, alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: n)
    }

    /// Returns a buffer obtained from `acquire(count)`.
    func release(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let n = max(count, 1)
        let bytes = n * MemoryLayout<Float>.stride
        let address = UInt(bitPattern: pointer)
        let kept = state.withLock { s -> Bool in
            guard s.cachedBytes + bytes <= s.limitBytes else { return false }
            s.free[n, default: []].append(address)
            s.cachedBytes += bytes
            return true
        }
        if !kept { UnsafeMutableRawPointer(pointer).deallocate() }
    }

    /// A scratch buffer for the duration of `body`.
    func withBuffer<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let p = acquire(count)
        defer { release(p, count: count) }
        return try body(p)
    }
}
