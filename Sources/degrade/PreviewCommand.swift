import ArgumentParser
import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation

/// Renders a few samples of one or more recipes into a browsable HTML gallery.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Preview recipes: a self-contained HTML gallery of GT/LQ pairs and every stage of frame 0.",
        discussion: """
            For each recipe, --samples samples are rendered; sample k uses clip k mod (number of clips), variant \
            k / (number of clips), so the same row compares recipes on the same clip. DIR gets index.html (open it \
            in a browser; it uses relative paths only and works offline), PNG images, and previews.sqlite (run, \
            recipes, previews, stages). DIR appears complete or not at all; an existing non-empty DIR is refused \
            unless --force. The path of index.html is printed on stdout. With --shard I/N (or a scheduler's shard, \
            as for render) only samples k with k mod N = I − 1 are previewed.
            Example:
              degrade preview recipes/realbasicvsr.yaml recipes/realesrgan.yaml --input datasets/sample --source pan --pan-size 480x270 --out out/preview
            """)

    @Argument(help: "Recipe YAML files.") var recipes: [String]
    @OptionGroup(title: "Overrides (applied to every recipe)") var overrides: OverrideOptions
    @OptionGroup var source: SourceOptions
    @Option(name: .long, help: "Output folder (DIR).") var out: String
    @Option(name: .long, help: "Samples per recipe.") var samples: Int = 4
    @Option(name: .long, help: "Run seed.") var seed: UInt64 = 0
    @Option(name: .long, help: "Worker threads (the images are the same for any value).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @OptionGroup var sharding: ShardOptions
    @Flag(name: .long, help: "Replace DIR if it exists and is not empty.") var force = false
    @Flag(name: .long, help: "No progress bar.") var quiet = false
    @Flag(name: .long, help: "Print a JSON summary instead of the path.") var json = false

    func validate() throws {
        guard !recipes.isEmpty else { throw ValidationError("name at least one recipe") }
        guard samples >= 1 && samples <= 1000 else { throw ValidationError("--samples must be within 1…1000") }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be within 1…256") }
    }

    func run() throws {
        let sets = try overrides.overrides()
        let loaded = try recipes.map { try RecipeParser.load($0, overrides: sets) }
        let shard = try sharding.resolve()
        var job = PreviewJob(recipes: loaded, seed: seed, source: try source.spec.open(), out: out, samples: samples,
                             threads: threads, force: force, protectedPaths: [source.input] + recipes)
        job.shard = .init(index: shard.index, count: shard.count)
        let bar = ProgressLine("preview", quiet: quiet || json)
        let summary = try job.run { p in bar.update(done: p.done, total: p.total, detail: p.label) }
        bar.finish()
        if json {
            try printJSON(PreviewReport(index: summary.indexPath, out: out, recipes: summary.recipes, samples: summary.samples,
                                        seconds: (summary.seconds * 1000).rounded() / 1000))
        } else {
            if !quiet { Console.note(String(format: "previewed %d samples of %d recipe%@ in %.1f s", summary.samples, summary.recipes, summary.recipes == 1 ? "" : "s", summary.seconds)) }
            print(summary.indexPath)
        }
    }
}

/// `preview --json`.
struct PreviewReport: Encodable {
    var index, out: String
    var recipes, samples: Int
    var seconds: Double
}
