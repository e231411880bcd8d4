/// The two workloads `degrade bench` measures, both from one recipe (RealBasicVSR's by default).
public enum BenchCase: String, Codable, Sendable, CaseIterable {
    /// The recipe as written: a 256×256 GT crop → 64×64 LQ, 15 frames mirrored to 30.
    case a
    /// The recipe on whole frames (`Recipe.fullFrame(targetScale: 0.25)`): 1280×720 → 320×180.
    case b

    /// The recipe this case runs.
    public func recipe(from base: Recipe) -> Recipe {
        switch self {
        case .a: base
        case .b: base.fullFrame(targetScale: 0.25)
        }
    }

    /// Samples per clip and repeat when not given: enough for a few seconds of work per repeat.
    var defaultVariants: Int {
        switch self {
        case .a: 4
        case .b: 1
        }
    }

    public var summary: String {
        switch self {
        case .a: "recipe as is (GT crop)"
        case .b: "whole frames: crop removed, final resize target_scale 0.25"
        }
    }
}

/// How the benchmark spreads clips over cores.
public enum BenchMode: Codable, Sendable, Hashable {
    /// One clip at a time on one thread.
    case serial
    /// `n` clips at once, each on one thread (as `degrade render --jobs n`).
    case clipJobs(Int)
    /// One clip at a time, its per-frame work on `n` threads (`Executor(threads: n)`).
    case frameThreads(Int)

    /// Clips in flight at once.
    public var jobs: Int {
        if case .clipJobs(let n) = self { return n }
        return 1
    }

    /// Executor threads per clip.
    var threadsPerClip: Int {
        if case .frameThreads(let n) = self { return n }
        return 1
    }

    public var label: String {
        switch self {
        case .serial: "1 clip × 1 thread"
        case .clipJobs(let n): "\(n) clips × 1 thread"
        case .frameThreads(let n): "1 clip × \(n) threads"
        }
    }
}
