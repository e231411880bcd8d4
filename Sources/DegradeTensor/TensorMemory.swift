/// The memory tensors occupy, as benchmarks and memory estimates measure it.
public enum TensorMemory {
    /// Highest number of bytes held by tensors and op workspaces at once since `resetPeak()` (buffers cached for
    /// reuse not counted).
    public static var peakBytes: Int { BufferPool.shared.peakLiveBytes }

    /// Starts a new high-water mark for `peakBytes` from what is live now.
    public static func resetPeak() { BufferPool.shared.resetPeak() }

    /// Frees the buffers kept for reuse, so a following resident-memory measurement sees only what is live.
    public static func releaseCachedBuffers() { BufferPool.shared.drain() }
}
