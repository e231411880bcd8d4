import ArgumentParser
import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation

/// Renders a recipe over a source into a REDS-style set with an SQLite index.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render degraded clips to disk: lq/ (and gt/) folders, meta_info.txt and index.sqlite.",
        discussion: """
            Crash-safe and resumable: kill it at any moment and run the same command again; it finishes with every
            clip present exactly once and the same bytes as an uninterrupted run. A different recipe, seed or
            option set into the same --out is refused. With a fixed --seed anyone can regenerate the identical set.

            Validation set in REDS4 style (clips 000 011 015 020, whole clips, fixed seed):
              degrade render recipes/realbasicvsr.yaml --input REDS/train_sharp --clips 000,011,015,020 --seed 0 --out val/REDS4-rbvsr
            Shards on several machines, then one index:
              degrade render R.yaml --input SRC --seed 1 --shard 1/4 --out part1   (… 4/4)
              degrade merge-index --out full part1 part2 part3 part4
            """)

    @Argument(help: "Recipe YAML file.") var recipe: String
    @OptionGroup var source: SourceOptions
    @Option(name: .long, help: "Output folder.") var out: String
    @Option(name: .long, help: "Run seed.") var seed: UInt64 = 0
    @Option(name: .long, help: "Clips rendered in parallel.") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: "Comma-separated clip keys to render (default: all).") var clips: String?
    @Option(name: .long, help: "Frames per sample, overriding the recipe's `frames`.") var frames: Int?
    @Option(name: .customLong("repeat"), help: "Degraded variants per source clip (keys clip, clip#1, …).") var repeatCount: Int = 1
    @Option(name: .long, help: "Render only shard I of N (I/N, 1-based), for splitting across machines.") var shard: String = "1/1"
    @Flag(name: .long, help: "Delete --out first if it holds another render.") var force = false
    @Flag(name: .long, help: "No progress bar.") var quiet = false
    @Flag(name: .long, help: "Print a JSON summary.") var json = false

    func validate() throws {
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be within 1…256") }
        guard repeatCount >= 1 && repeatCount <= 10_000 else { throw ValidationError("--repeat must be within 1…10000") }
        guard parsedShard != nil else { throw ValidationError("--shard must look like I/N with 1 ≤ I ≤ N, e.g. 2/4") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
    }

    var parsedShard: (Int, Int)? {
        let p = shard.split(separator: "/").compactMap { Int($0) }
        guard p.count == 2, p[1] >= 1, (1...p[1]).contains(p[0]) else { return nil }
        return (p[0], p[1])
    }

    func run() throws {
        var r = try RecipeParser.load(recipe)
        if let frames { r.clip.frames = frames }  // recorded in the run's options: a resumed run must match it
        let selection = SampleSelection(clips: clips?.split(separator: ",").map(String.init), repeatCount: repeatCount, shard: parsedShard!)
        let job = RenderJob(recipe: r, seed: seed, sourceSpec: source.spec, out: out, selection: selection, jobs: jobs, force: force)
        let bar = ProgressLine("render", quiet: quiet || json)
        let summary = try job.run { p in bar.update(done: p.done, total: p.total, detail: p.key) }
        bar.finish()
        if json {
            print("{\"rendered\": \(summary.rendered), \"skipped\": \(summary.skipped), \"total\": \(summary.total), \"seconds\": \(summary.seconds), \"out\": \"\(out)\"}")
        } else {
            print(String(format: "rendered %d clips (%d already done, %d in total) in %.1f s → %@", summary.rendered, summary.skipped, summary.total, summary.seconds, out))
        }
    }
}
