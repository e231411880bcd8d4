#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPU feature set libx264 encodes with: everything it detects except AVX-512.
///
/// x264 0.164's AVX-512 kernels read uninitialised heap memory: with them, one clip encodes to different
/// streams depending on what the allocator hands out (reproduced with plain libavcodec and `MALLOC_PERTURB_`;
/// seen in `degrade` as run-to-run differences). Every x264 kernel is bit-exact with its C version, and with
/// AVX-512 masked the streams are identical across runs and equal to the ones AVX-512 gives on zeroed memory,
/// so masking it costs nothing but a little speed.
enum X264CPUFlags {
    static let avx512: UInt32 = 1 << 16  // X264_CPU_AVX512 in x264.h

    /// `asm=<flags>` for `x264-params`, or nil when nothing needs masking (no AVX-512, or x264's detection
    /// is not reachable — libavcodec linked statically, say).
    static let asmParameter: String? = {
        // libx264 is loaded as libavcodec's dependency; its detection is public API (`x264_cpu_detect`).
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "x264_cpu_detect") else { return nil }
        typealias Detect = @convention(c) () -> UInt32
        let detected = unsafeBitCast(symbol, to: Detect.self)()
        guard detected & avx512 != 0 else { return nil }
        return "asm=\(detected & ~avx512)"
    }()
}
