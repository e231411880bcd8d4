/// The smallest window of a kernel that holds all its non-zero taps, with the anchor's place inside it.
///
/// Convolution runs on this window: a 7×7 kernel zero-padded to 21×21 costs 49 taps, not 441, and skipping taps
/// that are exactly 0 cannot change any sum (`acc + 0·v == acc` for finite `v`).
struct KernelSupport {
    /// Window height and width in taps.
    let rows: Int, cols: Int
    /// Taps of the window above / left of the kernel's centre (the anchor).
    let top: Int, left: Int
    /// `rows * cols` taps, row-major.
    let weights: [Float]

    init(_ kernel: BlurKernel) {
        let n = kernel.size, c = n / 2
        var r0 = n, r1 = -1, c0 = n, c1 = -1
        for row in 0..<n {
            for col in 0..<n where kernel.weights[row * n + col] != 0 {
                r0 = min(r0, row); r1 = max(r1, row); c0 = min(c0, col); c1 = max(c1, col)
            }
        }
        if r1 < 0 {
            // All-zero kernel: a single zero tap at the centre gives the same (all-zero) result.
            (r0, r1, c0, c1) = (c, c, c, c)
        }
        rows = r1 - r0 + 1
        cols = c1 - c0 + 1
        top = c - r0
        left = c - c0
        var window = [Float](repeating: 0, count: rows * cols)
        for row in 0..<rows {
            for col in 0..<cols {
                window[row * cols + col] = kernel.weights[(row + r0) * n + col + c0]
            }
        }
        weights = window
    }
}
