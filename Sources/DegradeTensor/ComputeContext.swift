import COpenBLAS
import Dispatch
import Synchronization

/// The process-wide compute configuration: the thread count. There is one backend, the CPU: storage is host memory
/// from `BufferPool`, dense products go to OpenBLAS and the other loops are Swift over raw pointers; no second
/// backend is planned (GPU users train in PyTorch, which the bridge feeds), so no backend switch is kept.
///
/// One thread count drives both OpenBLAS (`openblas_set_num_threads`) and this library's own parallel loops
/// (`DispatchQueue.concurrentPerform`). The two never overlap: GEMM calls are made from the calling thread, outside
/// any parallel loop, so at most `threads` workers are busy at any time.
///
/// Results are bitwise reproducible run to run for a fixed thread count: elementwise loops do not depend on how
/// work is split, reductions use fixed-size chunks combined in a fixed order, and OpenBLAS splits a GEMM the same
/// way for the same sizes and thread count (it never splits the summed dimension). Most ops also give the same bits
/// for any thread count; GEMM results may differ in the last bit between thread counts.
///
/// Until `activate()` is called the context is `threads: 1` on the CPU (OpenBLAS is set to 1 thread on first use,
/// overriding its default of one thread per core).
public struct ComputeContext: Sendable, Equatable, CustomStringConvertible {
    /// Worker threads for GEMM and for the library's own loops; at least 1.
    public let threads: Int
    /// - Precondition: `threads ≥ 1`.
    public init(threads: Int) {
        precondition(threads >= 1, "ComputeContext: threads must be at least 1, got \(threads)")
        self.threads = threads
    }

    /// The active context (read at the start of each op and each backward step): the thread's own while it runs
    /// one of several concurrent branches (`Tensor.concurrentBranches`), else the process-wide one.
    public static var current: ComputeContext { branchLocal ?? active.withLock { $0 } }

    /// Set on a worker thread while it runs one branch of `Tensor.concurrentBranches`, so that branch's ops use
    /// that worker's share of the threads instead of the process-wide count.
    @TaskLocal static var branchLocal: ComputeContext?

    /// Makes this context the active one and sets OpenBLAS's thread count to `threads`.
    /// Call it between ops, not while another thread is running tensor ops.
    public func activate() {
        ComputeContext.active.withLock { ctx in
            openblas_set_num_threads(Int32(clamping: threads))
            ctx = self
        }
    }

    /// Runs `body` with `self` active and restores the previous context afterwards (for tests and benchmarks).
    public func run<R>(_ body: () throws -> R) rethrows -> R {
        let previous = ComputeContext.current
        activate()
        defer { previous.activate() }
        return try body()
    }

    public var description: String { "ComputeContext(cpu, threads: \(threads))" }

    private static let active: Mutex<ComputeContext> = {
        openblas_set_num_threads(1)
        return Mutex(ComputeContext(threads: 1))
    }()
}

/// Lets a non-Sendable closure cross into `concurrentPerform`; callers guarantee the iterations touch disjoint memory.
private struct UncheckedSendable<T>: @unchecked Sendable { let value: T }

extension ComputeContext {
    /// Runs `body(i)` for `i in 0..<iterations` on at most `threads` workers, each taking one contiguous block of
    /// iterations (inline when there is one worker). Iterations must write disjoint memory, and the result must not
    /// depend on which worker runs which iteration.
    func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
        if iterations <= 0 { return }
        let workers = min(threads, iterations)
        if workers == 1 {
            for i in 0..<iterations { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(value: escapable)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = iterations * w / workers, hi = iterations * (w + 1) / workers
                for i in lo..<hi { box.value(i) }
            }
        }
    }

    /// Splits `0..<count` into at most `threads` contiguous ranges of at least `minimumChunk` elements and runs
    /// `body` on each. For elementwise loops, whose result does not depend on the split.
    func parallelRanges(_ count: Int, minimumChunk: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let parts = max(1, min(threads, count / max(1, minimumChunk)))
        if parts == 1 { body(0..<count); return }
        parallelFor(parts) { p in body((count * p / parts)..<(count * (p + 1) / parts)) }
    }
}

extension ComputeContext {
    /// The OpenBLAS kernel family in use (e.g. `Haswell`, `Cooperlake`); `OPENBLAS_CORETYPE` in the
    /// environment overrides OpenBLAS's own detection, which benchmarks should report.
    public static var blasKernel: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}
