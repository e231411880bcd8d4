#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for large scratch buffers: the direct convolution reads rows of every input channel's
/// plane per run, one 4 KiB page each on large planes, more pages than the first-level TLB holds.
enum HugePages {
    static let size = 2 << 20

    /// Asks the kernel to back the whole 2 MiB pages inside `pointer ..< pointer + count` with huge pages
    /// (a hint: ignored where THP is off).
    static func advise(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        #if os(Linux)
        let start = (UInt(bitPattern: pointer) + UInt(size - 1)) & ~UInt(size - 1)
        let end = (UInt(bitPattern: pointer + count)) & ~UInt(size - 1)
        guard end > start, let base = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(base, Int(end - start), MADV_HUGEPAGE)
        #endif
    }
}
