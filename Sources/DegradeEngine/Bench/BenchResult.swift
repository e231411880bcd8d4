/// What `Benchmark` measured for one case: the workload, the cost of producing its input, and one
/// `BenchModeResult` per way of using the cores. Times are per clip (one sample of the recipe) unless named
/// otherwise; `Codable` for `degrade bench --json`.
public struct BenchCaseResult: Codable, Sendable {
    public var benchCase: BenchCase
    public var summary: String
    public var recipe: String
    public var recipeHash: String
    /// GT and LQ frame sizes (`W×H`) and LQ frames per clip.
    public var gtSize: String
    public var lqSize: String
    public var framesPerClip: Int
    public var clips: Int
    public var variantsPerClip: Int
    public var repeats: Int
    public var warmup: Int
    public var seed: UInt64
    /// Input cost, outside every timed region (means per clip): decoding the photo, and rendering the pan frames
    /// one sample reads (only the crop when the recipe crops).
    public var photoDecode: Timing
    public var panGeneration: Timing
    /// Bytes of source frames one sample reads.
    public var sourceBytesPerSample: Int
    /// The process's lifetime peak RSS after the case (photo decoding and pan rendering included).
    public var processPeakRSSBytes: Int
    public var modes: [BenchModeResult]

    /// Wall and CPU milliseconds.
    public struct Timing: Codable, Sendable {
        public var wallMs: Double
        public var cpuMs: Double
        public init(wallMs: Double = 0, cpuMs: Double = 0) {
            self.wallMs = wallMs
            self.cpuMs = cpuMs
        }
    }
}

public struct BenchModeResult: Codable, Sendable {
    public var mode: BenchMode
    public var label: String
    /// Timed samples (clips × variants × repeats).
    public var samples: Int
    /// Wall time of the phases, making the samples' inputs included.
    public var wallSeconds: Double
    /// `jobs / mean sample wall time` (`Executor.run` only): the throughput with `jobs` samples always in flight.
    /// With one job that is samples / time exactly; with several, each sample's wall time includes sharing the
    /// cores with the others, so it is the steady-state rate of `render --jobs`.
    public var clipsPerSecond: Double
    public var lqFramesPerSecond: Double
    /// The same per repeat; its spread shows run-to-run noise.
    public var repeatClipsPerSecond: [Double]
    /// Mean wall time of one sample, from start to end of `Executor.run` (with `jobs > 1` it includes waiting
    /// for a core while the other jobs run).
    public var wallMsPerClip: Double
    /// Mean CPU time of one sample: its thread's CPU time (1 thread per clip), or the process's CPU time
    /// while it ran (frame threads, one clip at a time). Unaffected by other processes competing for cores.
    public var cpuMsPerClip: Double
    /// `1000 / cpuMsPerClip`: clips per second per fully available core.
    public var clipsPerCPUSecond: Double
    /// For each sample the least CPU time over its repeats, averaged over samples: the cost with the least
    /// interference from other processes (caches, memory bandwidth, frequency), the figure to compare code by.
    public var bestCPUMsPerClip: Double
    /// Per op name: mean wall and CPU milliseconds per clip (CPU is the calling thread's; see
    /// `DegradedClip.opCPUSeconds`, so it is partial in frame-thread mode).
    public var ops: [String: BenchCaseResult.Timing]
    /// Mean milliseconds per clip inside the codec library (swscale + encoder, decoder + swscale).
    public var codecEncode: BenchCaseResult.Timing
    public var codecDecode: BenchCaseResult.Timing
    /// Peak resident memory over the mode's phases (VmHWM, reset at the start of each when the system allows it)
    /// and the resident memory when the first phase started.
    public var peakRSSBytes: Int
    var startRSSBytes: Int
    public var peakWasReset: Bool
    /// Hash of every LQ frame of repeat 0, in sample order: equal across modes when outputs are identical.
    public var outputDigest: String
}
