/// Reshaping, slicing and joining along an axis. Axes may be negative (counted from the end, `-1` = last).
extension Tensor {
    /// The same elements under `newShape` (storage shared, no copy). One extent may be −1 (inferred).
    /// Gradient: reshaped back.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let hole = newShape.firstIndex(of: -1) {
            var known = 1
            for (i, d) in newShape.enumerated() where i != hole { known *= d }
            precondition(known > 0 && count % known == 0, "reshaped: cannot infer −1 in \(newShape) for \(shape)")
            resolved[hole] = count / known
        }
        precondition(Tensor.elementCount(resolved, op: "reshaped") == count,
                     "reshaped: \(shape) has \(count) elements, \(newShape) needs \(resolved.reduce(1, *))")
        let out = Tensor(shape: resolved, storage: storage, node: nil)
        let original = shape
        return out.recorded("reshape", [self]) { g in [.full(Tensor(shape: original, storage: g.storage, node: nil))] }
    }

    /// Elements `range` along `axis` (a copy). E.g. `video.slice(axis: 1, range: 2..<5)` takes frames 2–4 of
    /// `[N, T, C, H, W]`. Gradient: placed into the slice, zero elsewhere.
    public func slice(axis: Int, range: Range<Int>) -> Tensor {
        let a = normalizedAxis(axis, "slice")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice: range \(range) is outside 0..<\(shape[a]) on axis \(a) of \(shape)")
        var outShape = shape
        outShape[a] = range.count
        let out = Tensor(uninitialized: outShape)
        let inner = shape[(a + 1)...].reduce(1, *), outer = shape[..<a].reduce(1, *)
        copyBlocks(outer: outer, block: range.count * inner,
                   from: pointer + range.lowerBound * inner, stride: shape[a] * inner,
                   to: out.pointer, stride: range.count * inner)
        return out.recorded("slice", [self]) { g in [.slice(g, axis: a, start: range.lowerBound)] }
    }

    /// Index `index` along `axis`, with that axis removed: `video.select(axis: 1, index: t)` is frame `t` of
    /// `[N, T, C, H, W]` as `[N, C, H, W]`.
    public func select(axis: Int, index: Int) -> Tensor {
        let a = normalizedAxis(axis, "select")
        var outShape = shape
        outShape.remove(at: a)
        return slice(axis: a, range: index..<(index + 1)).reshaped(outShape)
    }

    /// Joins `tensors` along `axis` (e.g. `axis: 1` concatenates NCHW feature maps on channels). All other
    /// extents must agree. Gradient: the matching slice to each input.
    public static func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concat: needs at least one tensor")
        let first = tensors[0]
        let a = first.normalizedAxis(axis, "concat")
        for t in tensors {
            var expected = first.shape, got = t.shape
            precondition(t.rank == first.rank, "concat: ranks differ, \(first.shape) and \(t.shape)")
            expected[a] = 0
            got[a] = 0
            precondition(expected == got, "concat: shapes \(first.shape) and \(t.shape) differ off axis \(a)")
        }
        var outShape = first.shape
        outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let out = Tensor(uninitialized: outShape)
        let inner = first.shape[(a + 1)...].reduce(1, *), outer = first.shape[..<a].reduce(1, *)
        let outStride = outShape[a] * inner
        var offset = 0
        var starts: [Int] = []
        for t in tensors {
            starts.append(offset)
            copyBlocks(outer: outer, block: t.shape[a] * inner, from: t.pointer, stride: t.shape[a] * inner,
                       to: out.pointer + offset * inner, stride: outStride)
            offset += t.shape[a]
        }
        let extents = tensors.map { $0.shape[a] }
        let needs = tensors.map(\.requiresGradient)
        return out.recorded("concat", tensors) { g in
            (0..<extents.count).map { i in
                needs[i] ? .full(g.slice(axis: a, range: starts[i]..<(starts[i] + extents[i]))) : nil
            }
        }
    }

    /// Joins equally shaped `tensors` along a new axis at `axis` (e.g. frames `[N, C, H, W]` → `[N, T, C, H, W]`
    /// with `axis: 1`).
    public static func stack(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "stack: needs at least one tensor")
        let rank = tensors[0].rank
        let a = axis < 0 ? axis + rank + 1 : axis
        precondition(a >= 0 && a <= rank, "stack: axis \(axis) is out of range for rank \(rank)")
        for t in tensors {
            precondition(t.shape == tensors[0].shape, "stack: shapes differ, \(tensors[0].shape) and \(t.shape)")
        }
        var expanded = tensors[0].shape
        expanded.insert(1, at: a)
        return concat(tensors.map { $0.reshaped(expanded) }, axis: a)
    }

    func normalizedAxis(_ axis: Int, _ op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(op): axis \(axis) is out of range for shape \(shape)")
        return a
    }
}

/// Copies `outer` blocks of `block` floats between strided positions.
func copyBlocks(outer: Int, block: Int, from source: UnsafePointer<Float>, stride sourceStride: Int,
                to destination: UnsafeMutablePointer<Float>, stride destinationStride: Int) {
    if outer == 0 || block == 0 { return }
    let body = { (o: Int) in
        (destination + o * destinationStride).update(from: source + o * sourceStride, count: block)
    }
    if outer * block < 1 << 15 {
        for o in 0..<outer { body(o) }
    } else {
        ComputeContext.current.parallelFor(outer, body)
    }
}
