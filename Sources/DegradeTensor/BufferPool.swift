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
        /// Bytes handed out and not yet returned, and their high-water mark since `resetPeak()`.
        var liveBytes = 0
        var peakLiveBytes = 0
    }
    private let state = Mutex(State())

    /// A buffer of at least `count` (≥ 1) floats, from the cache when one of that size is free.
    func acquire(_ count: Int) -> UnsafeMutablePointer<Float> {
        let n = max(count, 1)
        let bytes = n * MemoryLayout<Float>.stride
        let cached: UInt? = state.withLock { s in
            s.liveBytes += bytes
            s.peakLiveBytes = max(s.peakLiveBytes, s.liveBytes)
            guard let p = s.free[n]?.popLast() else { return nil }
            s.cachedBytes -= bytes
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
            s.liveBytes -= bytes
            guard s.cachedBytes + bytes <= s.limitBytes else { return false }
            s.free[n, default: []].append(address)
            s.cachedBytes += bytes
            return true
        }
        if !kept { UnsafeMutableRawPointer(pointer).deallocate() }
    }

    /// Highest `liveBytes` since the last `resetPeak()`: the tensors' and workspaces' own high-water mark, which
    /// unlike the process's peak RSS does not include buffers this cache holds for reuse.
    var peakLiveBytes: Int { state.withLock { $0.peakLiveBytes } }

    /// Starts a new high-water mark from the bytes live now.
    func resetPeak() { state.withLock { $0.peakLiveBytes = $0.liveBytes } }

    /// Returns every cached buffer to the system (before measuring a process's resident memory afresh).
    func drain() {
        let free = state.withLock { s -> [Int: [UInt]] in
            defer { s.free = [:]; s.cachedBytes = 0 }
            return s.free
        }
        for addresses in free.values {
            for address in addresses {
                if let pointer = UnsafeMutableRawPointer(bitPattern: address) { pointer.deallocate() }
            }
        }
    }

    /// A scratch buffer for the duration of `body`.
    func withBuffer<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let p = acquire(count)
        defer { release(p, count: count) }
        return try body(p)
    }
}
