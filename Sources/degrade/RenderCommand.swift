import ArgumentParser
import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation

/// Renders a recipe over a source into a REDS-style set with an SQLite index.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render degraded clips to disk: lq/ and gt/ (and, when asked, gt_unsharp/) folders, meta_info.txt and index.sqlite.",
        discussion: """
            Crash-safe and resumable: kill it at any moment and run the same command again; it finishes with every
            clip present exactly once and the same bytes as an uninterrupted run. A different recipe, seed or
            option set into the same --out is refused. With a fixed --seed anyone can regenerate the identical set.

            Validation set in REDS4 style (clips 000 011 015 020, whole clips, fixed seed):
              degrade render recipes/realbasicvsr.yaml --input REDS/train_sharp --clips 000,011,015,020 --seed 0 --out val/REDS4-rbvsr
            Shards on several machines, then one index:
              degrade render R.yaml --input SRC --seed 1 --shard 1/4 --out part1   (… 4/4)
              degrade merge-index --out full part1 part2 part3 part4
            Without --shard, the shard comes from the scheduler: a Slurm array (SLURM_ARRAY_TASK_ID, _MIN, _STEP, \
            _COUNT), srun (SLURM_PROCID/SLURM_NTASKS), a Kubernetes Indexed Job (JOB_COMPLETION_INDEX with \
            --shard-count or DEGRADE_SHARD_COUNT) or mpirun (OMPI_COMM_WORLD_RANK/SIZE); the note on stderr says \
            which. Shards are identified by the recipe, seed, options and a fingerprint of the clip list, not the \
            input's path, so nodes may mount the data at different places. Examples: tools/cluster/.
            """)

    @Argument(help: "Recipe YAML file.") var recipe: String
    @OptionGroup var overrides: OverrideOptions
    @OptionGroup var source: SourceOptions
    @Option(name: .long, help: "Output folder.") var out: String
    @Option(name: .long, help: "Run seed.") var seed: UInt64 = 0
    @Option(name: .long, help: "Clips rendered in parallel.") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: "Comma-separated clip keys to render (default: all).") var clips: String?
    @Option(name: .long, parsing: .unconditional, help: "Frames per sample, overriding the recipe's `frames`.") var frames: Int?
    @Option(name: .customLong("repeat"), parsing: .unconditional, help: "Degraded variants per source clip (keys clip, clip#1, …).") var repeatCount: Int = 1
    @OptionGroup var sharding: ShardOptions
    @Flag(name: .long, help: "Start over when --out holds another render: delete that render's own files (only what its index lists) first.") var force = false
    @Flag(name: .long, help: "On resume, also compare every rendered frame's checksum with the index (slower; size and presence are always checked).") var verify = false
    @Flag(name: .customLong("no-gt"), help: "Leave out gt/ for clips whose GT is the unchanged source frames (by default gt/ is always written, so the set is self-contained).") var noGT = false
    @Flag(name: .customLong("gt-unsharp"), inversion: .prefixedNo, exclusivity: .exclusive,
          help: "Write gt_unsharp/, the recipe's sharpened GT. By default it is written only when gt/ cannot give it back exactly (an unsharp before a paired crop, --no-gt, or a clip whose GT is not 8-bit, e.g. camera pans); readers of the set (training, validation) recompute it exactly from gt/, as BasicSR and mmagic do at load time. A resume keeps the set's choice.")
    var gtUnsharp: Bool?
    @Option(name: .customLong("meta-info-format"), help: "Form of meta_info.txt: basicsr (`000 100 (720,1280,3)`), mmedit (`000 100`, mmedit 0.x folder datasets) or mmagic (one `000/00000000.png (720, 1280, 3)` line per frame).")
    var metaInfoFormat: MetaInfo.Format = .basicsr
    @Option(name: .customLong("png-compression"), help: "PNG compression: fast (zlib 1, the default: quickest to write), default (zlib 6, adaptive filters: smaller files, slower) or max (zlib 9: smallest, slowest). The pixels are the same at every level; a resumed run may change it.")
    var pngCompression: PNGCompression = .fast
    @Option(name: .customLong("source-cache"), help: "MB of decoded source frames (PNG folders) kept in memory for the next samples of the same clip, which often read the same frames (--repeat, overlapping windows); least recently used first out. 0 turns it off.")
    var sourceCacheMB: Int = RenderJob.defaultSourceCacheBytes >> 20
    @Flag(name: .long, help: "No progress bar.") var quiet = false
    @Flag(name: .long, help: "Print a JSON summary.") var json = false

    func validate() throws {
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be within 1…256") }
        guard repeatCount >= 1 && repeatCount <= 10_000 else { throw ValidationError("--repeat must be within 1…10000") }
        if let frames, frames < 1 || frames > 100_000 { throw ValidationError("--frames must be within 1…100000, got \(frames)") }
        guard sourceCacheMB >= 0 && sourceCacheMB <= 1 << 20 else { throw ValidationError("--source-cache must be within 0…1048576 (MB), got \(sourceCacheMB)") }
    }

    func run() throws {
        var r = try RecipeParser.load(recipe, overrides: try overrides.overrides())
        if let frames { r.clip.frames = frames }  // recorded in the run's options: a resumed run must match it
        let shard = try sharding.resolve()
        let selection = SampleSelection(clips: clips.map { $0.isEmpty ? [] : $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) },
                                        repeatCount: repeatCount, shard: (shard.index, shard.count))
        var job = RenderJob(recipe: r, seed: seed, sourceSpec: source.spec, out: out, selection: selection, jobs: jobs, force: force,
                            verify: verify, groundTruth: !noGT, gtUnsharp: gtUnsharp, metaInfoFormat: metaInfoFormat,
                            pngCompression: pngCompression)
        job.sourceCacheBytes = sourceCacheMB << 20
        let bar = ProgressLine("render", quiet: quiet || json)
        let summary = try job.run { p in bar.update(done: p.done, total: p.total, detail: p.key) }
        bar.finish()
        if !summary.repaired.isEmpty {
            Console.note("resume: \(summary.repaired.count) clip(s) listed as done had missing or changed files and were rendered again; first: \(summary.repaired[0])")
        }
        for n in summary.notices { Console.note(n) }
        if json {
            try printJSON(RenderReport(rendered: summary.rendered, skipped: summary.skipped, repaired: summary.repaired.map(\.key),
                                       total: summary.total, seconds: summary.seconds, out: out,
                                       sourceFramesReused: summary.sourceFramesReused, sourceFramesDecoded: summary.sourceFramesDecoded,
                                       cpuMsPerClip: summary.phases.millisecondsPerSample))
        } else {
            print("rendered \(summary.rendered) clips (\(summary.skipped) already done, \(summary.total) in total) in \(String(format: "%.1f", summary.seconds)) s → \(out)")
            if let line = summary.phases.summaryLine { print(line) }
        }
    }

    struct RenderReport: Encodable {
        var rendered, skipped: Int
        var repaired: [String]
        var total: Int
        var seconds: Double
        var out: String
        var sourceFramesReused, sourceFramesDecoded: Int
        /// Thread CPU ms per rendered clip by phase: sources (decoding), degrade (the engine), encode (PNG), files, catalog.
        var cpuMsPerClip: [String: Double]
    }
}

/// `--shard I/N`, 1-based.
struct ShardOption: ExpressibleByArgument, Sendable {
    var index: Int
    var count: Int

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    init?(argument: String) {
        let p = argument.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
        guard p.count == 2, let i = p[0], let n = p[1], n >= 1, n <= 1_000_000, (1...n).contains(i) else { return nil }
        self.init(index: i, count: n)
    }

    var defaultValueDescription: String { "\(index)/\(count)" }
    static var defaultCompletionKind: CompletionKind { .default }
}

/// Prints a value as one line of JSON with sorted keys.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

extension MetaInfo.Format: ExpressibleByArgument {}
extension PNGCompression: ExpressibleByArgument {}
