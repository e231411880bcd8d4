/// OpenCV `BORDER_REFLECT_101` (its default border; `gfedcb|abcdefgh|gfedcba`): the edge sample is not repeated.
///
/// Reflection repeats about both edges, so every index maps inside `0..<n` even when a kernel is larger than the
/// image (as OpenCV's `borderInterpolate` loops). The map is periodic with period `2(n − 1)`; a single sample maps
/// everything to 0.
@inline(__always)
public func reflect101(_ index: Int, count n: Int) -> Int {
    if n == 1 { return 0 }
    let period = 2 &* (n &- 1)
    var m = index % period
    if m < 0 { m &+= period }
    return m < n ? m : period &- m
}

/// Rounds `n` up to a multiple of the SIMD block width, so row loops need no scalar tail.
@inline(__always)
func roundUpToLanes(_ n: Int) -> Int { (n + 15) / 16 * 16 }

/// Writes the reflect-101-padded copy of one `width × height` plane into `dst`:
/// `dst[r * stride + s] = src[reflect(r − top) * width + reflect(s − left)]` for `r < paddedHeight`,
/// `s < paddedWidth`; columns `paddedWidth..<stride` are zeroed (they only feed discarded SIMD lanes, and zeroing
/// keeps every computed value deterministic).
///
/// `left`/`top` may exceed the plane (repeated reflection) or be negative (a trimmed kernel window that lies
/// entirely on one side of its anchor).
func fillReflectPadded(
    _ dst: UnsafeMutablePointer<Float>, stride: Int,
    from src: UnsafePointer<Float>, width: Int, height: Int,
    left: Int, top: Int, paddedWidth: Int, paddedHeight: Int
) {
    let rowPadding = ReflectRowPadding(width: width, left: left, paddedWidth: paddedWidth, stride: stride)
    for r in 0..<paddedHeight {
        rowPadding.fill(dst + r &* stride, from: src + reflect101(r &- top, count: height) &* width)
    }
}

/// The column half of `fillReflectPadded` for one row: `dst[s] = src[reflect(s − left)]` for `s < paddedWidth`, zeros
/// up to `stride`. The reflected margins go through an index map built once, so callers padding row by row (the
/// separable row pass) do not recompute `reflect101`'s divisions for every row.
struct ReflectRowPadding {
    let width: Int, left: Int, paddedWidth: Int, stride: Int
    /// Columns lo..<hi read the source row contiguously.
    let lo: Int, hi: Int
    /// Source columns of the padded columns 0..<lo, then hi..<paddedWidth.
    let columnMap: [Int]

    init(width: Int, left: Int, paddedWidth: Int, stride: Int) {
        precondition(stride >= paddedWidth, "padded row stride \(stride) is shorter than the padded width \(paddedWidth)")
        self.width = width
        self.left = left
        self.paddedWidth = paddedWidth
        self.stride = stride
        lo = min(max(left, 0), paddedWidth)
        hi = min(max(left + width, lo), paddedWidth)
        columnMap = (0..<lo).map { reflect101($0 - left, count: width) }
            + (hi..<paddedWidth).map { reflect101($0 - left, count: width) }
    }

    /// `fill` restricted to the padded columns `columns` (clamped to the stride): the rest of `dstRow` is left as is.
    @inline(__always)
    func fill(_ dstRow: UnsafeMutablePointer<Float>, from srcRow: UnsafePointer<Float>, columns: Range<Int>) {
        let first = max(columns.lowerBound, 0), end = min(columns.upperBound, stride)
        guard first < end else { return }
        columnMap.withUnsafeBufferPointer { map in
            var s = first
            while s < min(end, lo) { dstRow[s] = srcRow[map[s]]; s &+= 1 }
            let inside = min(end, hi)
            if s < inside {
                (dstRow + s).update(from: srcRow + (s &- left), count: inside &- s)
                s = inside
            }
            while s < min(end, paddedWidth) { dstRow[s] = srcRow[map[lo &+ (s &- hi)]]; s &+= 1 }
            if s < end { (dstRow + s).update(repeating: 0, count: end &- s) }
        }
    }

    @inline(__always)
    func fill(_ dstRow: UnsafeMutablePointer<Float>, from srcRow: UnsafePointer<Float>) {
        fill(dstRow, from: srcRow, columns: 0..<stride)
    }
}
