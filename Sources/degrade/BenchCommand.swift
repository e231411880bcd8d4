import ArgumentParser
import DegradeEngine
import DegradeMedia
import DegradeTensor
import DegradeTrain
import Foundation

/// `degrade bench`: throughput, time per op, codec-library time, CPU time and peak memory of a recipe on the
/// bundled stills (camera pans, so nothing is downloaded).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure clips/s, ms per op, codec time, CPU time and peak RSS of a recipe.",
        discussion: """
            Input: every still of --input as a pan clip (recipe frames, --pan-size), generated before the timed \
            region and reported separately. Case a runs the recipe as written; case b runs it on whole frames \
            (crop removed, final resize target_size → target_scale 0.25, built in code). Modes: serial (1 clip \
            on 1 thread), clips (--threads clips at once, 1 thread each, like render --jobs), frames (1 clip, \
            --threads threads). CPU figures are thread/process CPU time, meaningful when other processes share \
            the cores; wall figures are not. Build in release (tools/bench does).
            """)

    @Option(name: .long, help: "Recipe YAML file.") var recipe = "recipes/realbasicvsr.yaml"
    @OptionGroup(title: "Overrides (applied to --recipe; with --train to --train-config)") var overrides: OverrideOptions
    @Option(name: .long, help: "Folder of stills to pan over.") var input = "datasets/sample"
    @Option(name: .customLong("pan-size"), help: "Pan frame size, WIDTHxHEIGHT.")
    var panSize = FrameSize(width: 1280, height: 720)
    @Option(name: .customLong("case"), help: "a, b or all.") var benchCase: CaseChoice = .all
    @Option(name: .long, help: "Timed passes over the clips.") var repeats = 3
    @Option(name: .long, help: "Untimed samples before each mode.") var warmup = 1
    @Option(name: .long, help: "Threads for the parallel modes (default: all cores).") var threads: Int?
    @Option(name: .long, help: "Modes, comma-separated: serial, clips, frames.") var modes = ModeList(names: [.serial, .clips, .frames])
    @Option(name: .long, help: "Samples per clip and repeat (default: a 4, b 1).") var variants: Int?
    @Option(name: .long, help: "Use only the first N clips.") var clips: Int?
    @Option(name: .long, help: "Run seed.") var seed: UInt64 = 0
    @Option(name: .long, help: "Also write the results as JSON to this file.") var json: String?
    @Flag(name: .long, help: "Benchmark training steps instead: the train config, the fixed comparison shape (32 ch, upsampling 32 wide, 4+4 blocks, batch 2, 10 frames, LQ 32 → GT 128, no alignment) and the aligned one (the same at LQ 64 → GT 256 with SPyNet, upsampling 64 wide), on 1 thread and on all cores, with ms/step, peak RSS, the tensors' peak and train --dry-run's estimate.")
    var train = false
    @Option(name: .customLong("train-shapes"), help: "Shapes for --train, comma-separated: config, fixed, aligned (--conv: fixed, aligned).")
    var trainShapes = TrainShapeList(names: TrainShape.allCases)
    @Option(name: .customLong("train-config"), help: "Train config for --train.") var trainConfig = "recipes/train-realbasicvsr-tiny.yaml"
    @Option(name: .long, help: "Timed training steps per measurement (--train).") var steps = 5
    @Flag(name: .long, help: "Benchmark convolutions instead: every layer shape of --train's fixed and aligned steps, im2col + GEMM against the direct kernel, forward / input gradient / weight gradient, process CPU ms (best of --repeats) and GFLOP per CPU second, on 1 thread and on --threads (default all cores).")
    var conv = false
    @Option(name: .customLong("conv-filter"), help: "Only the --conv layers whose label contains this text (e.g. \"7×7\", \"128×128\").")
    var convFilter: String?
    @Flag(name: .long, help: "Benchmark the audit instead: --audit-samples fresh plans of --recipe, then --against a synthetic catalog of --audit-clips clips (plans written straight into an index.sqlite, no pixels; its writing is timed apart).")
    var audit = false
    @Option(name: .customLong("audit-samples"), help: "Fresh plans for --audit.") var auditSamples = 100_000
    @Option(name: .customLong("audit-clips"), help: "Clips in the synthetic catalog for --audit.") var auditClips = 50_000
    @Option(name: .long, help: "Benchmark the native training stream instead: samples 0..<N of --epoch (pans of --input, --pan-size), one at a time, process CPU ms per sample — the figure tools/bench-python compares the Python bridge with.")
    var stream: Int?
    @Option(name: .long, help: "Epoch for --stream.") var epoch = 0

    func validate() throws {
        guard repeats >= 1, warmup >= 0 else { throw ValidationError("--repeats must be ≥ 1 and --warmup ≥ 0") }
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads must be within 1…256") }
        if let variants, variants < 1 { throw ValidationError("--variants must be ≥ 1") }
        guard auditSamples >= 1, auditClips >= 1 else { throw ValidationError("--audit-samples and --audit-clips must be ≥ 1") }
        if let stream, stream < 1 || stream > 1_000_000 { throw ValidationError("--stream must be within 1…1000000") }
        guard epoch >= 0, epoch < 1_000_000 else { throw ValidationError("--epoch must be within 0…999999") }
        _ = try parsedModes()
    }

    func parsedModes() throws -> [BenchMode] {
        let n = threads ?? ProcessInfo.processInfo.activeProcessorCount
        var out: [BenchMode] = []
        for name in modes.names {
            switch name {
            case .serial: out.append(.serial)
            case .clips: if n > 1 { out.append(.clipJobs(n)) }
            case .frames: if n > 1 { out.append(.frameThreads(n)) }
            }
        }
        guard !out.isEmpty else { throw ValidationError("no modes to run (parallel modes need --threads ≥ 2)") }
        return out
    }

    func run() throws {
        if train { return try runTraining() }
        if conv { return runConvolutions() }
        if audit { return try runAudit() }
        if let stream { return try runStream(stream) }
        let base = try RecipeParser.load(recipe, overrides: try overrides.overrides())
        let panFrames = base.clip.frames ?? 30
        let source = try PanSource(stills: StillsSource(folder: input), frames: panFrames,
                                   width: panSize.width, height: panSize.height)
        let bench = Benchmark(recipe: base, source: source, seed: seed, repeats: repeats, warmup: warmup,
                              clipLimit: clips, log: { Console.note($0) })
        let cases: [BenchCase] = switch benchCase {
        case .all: BenchCase.allCases
        case .a: [.a]
        case .b: [.b]
        }
        let modes = try parsedModes()
        var results: [BenchCaseResult] = []
        for c in cases {
            let r = try bench.run(c, modes: modes, variants: variants)
            print(BenchTable.render(r, cores: ProcessInfo.processInfo.activeProcessorCount))
            results.append(r)
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = BenchReport(tool: "degrade \(DegradeVersion.string)", cores: ProcessInfo.processInfo.activeProcessorCount,
                                     date: ISO8601DateFormatter().string(from: Date()), cases: results)
            try AtomicFile.write(Array(try encoder.encode(report)), to: json)
            Console.note("wrote \(json)")
        }
    }

    /// ms per step, samples/s, achieved GFLOP/s and peak memory of training steps on in-memory batches (no data
    /// loading).
    func runTraining() throws {
        let config = try TrainConfigParser.load(trainConfig, overrides: try overrides.overrides())
        let cores = threads ?? ProcessInfo.processInfo.activeProcessorCount
        var rows: [TrainBenchRow] = []
        let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { " (forced by OPENBLAS_CORETYPE=\($0))" } ?? ""
        print("OpenBLAS kernels: \(ComputeContext.blasKernel)\(forced)")
        print("case                          threads   ms/step  CPU ms/step  samples/s  GFLOP/s  GFLOP/step  peak RSS MiB  tensors MiB  estimate MiB")
        for shape in trainShapes.names {
            let (label, base) = shape.benchConfig(from: config)
            for t in Set([1, cores]).sorted() {
                var c = base
                c.threads = t
                ComputeContext(threads: t).activate()
                let r = try TrainBenchmark.run(c, steps: steps)
                let mib = { (bytes: Double) in bytes / 1_048_576 }
                print(String(format: "%-30@ %7d %9.1f %12.1f %10.2f %8.1f %11.2f %13.0f %12.0f %13.0f", label, t, r.secondsPerStep * 1000,
                             r.cpuSecondsPerStep * 1000, r.samplesPerSecond, r.gflopsPerSecond, r.stepGFLOP, mib(Double(r.peakResidentBytes)),
                             mib(Double(r.peakTensorBytes)), mib(r.estimatedBytes)))
                rows.append(TrainBenchRow(case: label, shape: shape.rawValue, threads: t, msPerStep: r.secondsPerStep * 1000,
                                          cpuMsPerStep: r.cpuSecondsPerStep * 1000, samplesPerS: r.samplesPerSecond, gflops: r.gflopsPerSecond, gflopPerStep: r.stepGFLOP,
                                          peakRssMib: mib(Double(r.peakResidentBytes)), peakTensorMib: mib(Double(r.peakTensorBytes)),
                                          estimateMib: mib(r.estimatedBytes)))
            }
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try AtomicFile.write(Array(try encoder.encode(rows)), to: json)
        }
    }
}

/// The `--json` document.
struct BenchReport: Codable {
    var tool: String
    var cores: Int
    var date: String
    var cases: [BenchCaseResult]

}

/// One row of `bench --train --json`.
struct TrainBenchRow: Codable {
    var `case`: String
    var shape: String
    var threads: Int
    var msPerStep: Double
    var cpuMsPerStep: Double
    var samplesPerS: Double
    var gflops: Double
    var gflopPerStep: Double
    var peakRssMib: Double
    var peakTensorMib: Double
    var estimateMib: Double
}

extension BenchCommand {
    /// `--case`.
    enum CaseChoice: String, ExpressibleByArgument, CaseIterable {
        case a, b, all
    }

    enum ModeName: String, CaseIterable {
        case serial, clips, frames
    }

    /// `--modes serial,clips,frames`.
    struct ModeList: ExpressibleByArgument {
        var names: [ModeName]

        init(names: [ModeName]) { self.names = names }

        init?(argument: String) {
            let parts = argument.split(separator: ",").map { ModeName(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
            names = parts.compactMap { $0 }
        }

        var defaultValueDescription: String { names.map(\.rawValue).joined(separator: ",") }
        static var allValueStrings: [String] { ModeName.allCases.map(\.rawValue) }
    }
}
