#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The process's CPU time and resident memory, as the benchmark reports them.
public enum ProcessResources {
    /// User + system CPU seconds of the whole process (every thread) so far.
    public static func cpuSeconds() -> Double {
        let usage = selfUsage()
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
    }

    /// Peak resident set size in bytes: `VmHWM` from /proc/self/status (which `resetPeak()` can lower), else
    /// `getrusage`'s `ru_maxrss` (the lifetime peak).
    public static func peakBytes() -> Int {
        if let kb = statusField("VmHWM") { return kb * 1024 }
        return lifetimePeakBytes()
    }

    /// The lifetime peak resident set size in bytes (`getrusage`'s `ru_maxrss`; not lowered by `resetPeak()`).
    public static func lifetimePeakBytes() -> Int {
        let usage = selfUsage()
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)
        #else
        return Int(usage.ru_maxrss) * 1024
        #endif
    }

    /// Current resident set size in bytes (`VmRSS`), or nil where /proc is missing.
    static func currentBytes() -> Int? { statusField("VmRSS").map { $0 * 1024 } }

    /// Resets the peak (`VmHWM`) to the current RSS by writing 5 to /proc/self/clear_refs, so the next
    /// `peakBytes()` covers only what runs after this call. Returns false where that is not possible.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Array("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// Gives freed heap memory back to the system (glibc keeps it otherwise), so a following measurement starts
    /// from what is really live.
    public static func trimHeap() {
        #if canImport(Glibc)
        // malloc.h is not part of the Glibc module; RTLD_DEFAULT is the null handle.
        if let symbol = dlsym(nil, "malloc_trim") {
            typealias Trim = @convention(c) (Int) -> Int32
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    static func selfUsage() -> rusage {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return usage
    }

    /// A `kB` field of /proc/self/status.
    static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.dropFirst(name.count + 1).filter(\.isNumber)
            return Int(digits)
        }
        return nil
    }
}
