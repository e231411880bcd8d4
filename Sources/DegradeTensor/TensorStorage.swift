/// Contiguous Float32 memory behind one or more `Tensor` values (reshapes share it).
///
/// Tensors treat their storage as immutable once an op has filled it; the only in-place writers are the
/// documented parameter updates (`Parameter.assign`, optimisers, EMA) and the gradient accumulator on buffers it
/// allocated itself. That rule is what makes the `@unchecked Sendable` sound.
final class TensorStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    /// Uninitialised storage for `count` floats.
    init(count: Int) {
        self.count = count
        pointer = BufferPool.shared.acquire(count)
    }

    deinit { BufferPool.shared.release(pointer, count: count) }
}
