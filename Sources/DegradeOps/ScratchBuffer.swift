/// A zero-filled Float buffer owned by one call of an op, freed when the call returns.
///
/// Ops allocate their padded planes and row buffers once per call (never per pixel or per row) and work on raw
/// pointers, so hot loops avoid array uniqueness checks and closure nesting.
struct ScratchBuffer: ~Copyable {
    let base: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    /// Without the zero fill, for a buffer the caller writes in full before reading any of it (a fill of a large
    /// plane costs as much as a cheap pass over it).
    init(uninitializedCount count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
    }

    deinit { base.deallocate() }
}
