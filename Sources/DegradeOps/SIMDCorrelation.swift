/// The inner loop shared by the direct and separable convolutions:
/// `out[x] = Σ_{j<kh} Σ_{i<kw} k[j·kw + i] · src[j·stride + x + i]` for `x < count`.
///
/// `count` must be a multiple of 16 and every source row readable up to `count + kw − 1`; callers pad rows to
/// `roundUpToLanes(width) + kw − 1` so there is no scalar tail. Four SIMD16 accumulators (64 pixels) hide the FMA
/// latency; the rest goes 16 at a time. Every pixel sums its taps in the same order (row-major) whichever block
/// computes it, and `addingProduct` is a fused multiply-add both in hardware (release, `-target-cpu native`) and in
/// libm's `fmaf` (debug), so results are bit-identical across builds.
@inline(__always)
func correlateRows(
    into out: UnsafeMutablePointer<Float>, count: Int,
    source src: UnsafePointer<Float>, stride: Int,
    kernel k: UnsafePointer<Float>, rows kh: Int, cols kw: Int
) {
    typealias V = SIMD16<Float>
    let raw = UnsafeRawPointer(src)
    let lane = MemoryLayout<Float>.stride
    var x = 0
    while x &+ 64 <= count {
        var a0 = V(), a1 = V(), a2 = V(), a3 = V()
        for j in 0..<kh {
            let rowBytes = (j &* stride &+ x) &* lane
            let taps = k + j &* kw
            for i in 0..<kw {
                let w = taps[i]
                let p = rowBytes &+ i &* lane
                a0 = a0.addingProduct(raw.loadUnaligned(fromByteOffset: p, as: V.self), w)
                a1 = a1.addingProduct(raw.loadUnaligned(fromByteOffset: p &+ 64, as: V.self), w)
                a2 = a2.addingProduct(raw.loadUnaligned(fromByteOffset: p &+ 128, as: V.self), w)
                a3 = a3.addingProduct(raw.loadUnaligned(fromByteOffset: p &+ 192, as: V.self), w)
            }
        }
        let o = UnsafeMutableRawPointer(out + x)
        o.storeBytes(of: a0, as: V.self)
        o.storeBytes(of: a1, toByteOffset: 64, as: V.self)
        o.storeBytes(of: a2, toByteOffset: 128, as: V.self)
        o.storeBytes(of: a3, toByteOffset: 192, as: V.self)
        x &+= 64
    }
    while x < count {
        var a0 = V()
        for j in 0..<kh {
            let rowBytes = (j &* stride &+ x) &* lane
            let taps = k + j &* kw
            for i in 0..<kw {
                a0 = a0.addingProduct(raw.loadUnaligned(fromByteOffset: rowBytes &+ i &* lane, as: V.self), taps[i])
            }
        }
        UnsafeMutableRawPointer(out + x).storeBytes(of: a0, as: V.self)
        x &+= 16
    }
}
