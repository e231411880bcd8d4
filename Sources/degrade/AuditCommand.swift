import ArgumentParser
import DegradeAudit
import DegradeEngine
import DegradeMedia
import Foundation

/// Audits what a recipe draws and produces, checks a rendered set against its recipe, or compares two recipes.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Statistics of a recipe's degradations; check a rendered set against its recipe, or compare two recipes.",
        discussion: """
            Parameter statistics come from --samples fresh plans (no pixels): application rate of every step, kernel \
            types and sizes, σ/θ/β/ω, resize mode/scale/size, noise type/σ/gray rate, JPEG quality, codec and bitrate, \
            shuffle orders, and per-frame drift. With --input and --render M, M clips are also rendered and measured: \
            PSNR/SSIM (Y) against the bicubic-downscaled GT, noise σ, sharpness, JPEG blockiness, bits per pixel. \
            --shard I/N (or a scheduler's shard, as for render) measures only renders k with k mod N = I − 1.

            --against DIR/index.sqlite tests a rendered set against fresh plans of RECIPE (two-sample KS for continuous \
            quantities, χ² or Fisher for categorical ones, Bonferroni over all tests at --alpha) and exits with status 1 if \
            any quantity does not match. A second recipe (RECIPE2) gives a side-by-side comparison instead.
            Writes DIR/report.json and a self-contained DIR/report.html; prints a short table (or --json a summary).

              degrade audit recipes/realbasicvsr.yaml --samples 2000 --out audit/rbvsr
              degrade audit recipes/realbasicvsr.yaml --against sets/rbvsr/index.sqlite --out audit/check
              degrade audit recipes/realesrgan.yaml recipes/bsrgan.yaml --input datasets/sample --source pan --render 5 --out audit/cmp
            """)

    @Argument(help: "Recipe YAML file.") var recipe: String
    @Argument(help: "A second recipe to compare with.") var recipe2: String?
    @OptionGroup(title: "Overrides (applied to RECIPE only; RECIPE2 is read as written)") var overrides: OverrideOptions
    @Option(name: .long, help: "Fresh plans drawn per recipe (about 8 kB of memory each; more than fits in half the memory is refused).") var samples: Int = 2000
    @Option(name: .long, help: "Clips rendered per recipe for image statistics (needs --input).") var render: Int = 0
    @OptionGroup var source: AuditSourceOptions
    @OptionGroup var sharding: ShardOptions
    @Option(name: .long, help: "Output folder for report.json and report.html.") var out: String
    @Option(name: .long, help: "Seed of the fresh plans.") var seed: UInt64 = 0
    @Option(name: .long, help: "A rendered set's index.sqlite (or its folder) to check against RECIPE.") var against: String?
    @Option(name: .long, help: "Family-wise significance level (Bonferroni over all tests).") var alpha: Double = 0.001
    @Option(name: .long, help: "Clips rendered in parallel.") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(name: .long, help: "Write into a non-empty --out.") var force = false
    @Flag(name: .long, help: "Print a JSON summary instead of the table.") var json = false
    @Flag(name: .long, help: "No progress bar.") var quiet = false

    func validate() throws {
        guard samples >= 1 && samples <= 10_000_000 else { throw ValidationError("--samples must be within 1…10000000") }
        guard render >= 0 else { throw ValidationError("--render must be 0 or more") }
        guard render == 0 || source.input != nil else { throw ValidationError("--render needs clean clips to degrade: pass --input") }
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be within (0, 1)") }
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be within 1…256") }
        guard recipe2 == nil || against == nil else { throw ValidationError("give either RECIPE2 or --against, not both") }
    }

    func run() throws {
        let fm = FileManager.default
        if !force, let contents = try? fm.contentsOfDirectory(atPath: out), !contents.isEmpty {
            throw InputError("\(out) is not empty; choose another --out or pass --force to write into it")
        }
        let r = try RecipeParser.load(recipe, overrides: try overrides.overrides())
        let r2 = try recipe2.map { try RecipeParser.load($0) }
        let src = try source.spec.map { try $0.open() }
        let bar = ProgressLine("audit", quiet: quiet || json)
        var audit = Audit(recipe: r, recipe2: r2, samples: samples, renders: render, seed: seed, source: src,
                          against: against, alpha: alpha, jobs: jobs)
        // Only the rendered clips are split: plan statistics are cheap and every shard draws them all.
        if render > 0 {
            let shard = try sharding.resolve()
            audit.renderShard = .init(index: shard.index, count: shard.count)
        }
        let report = try audit.run { phase, done, total in
            if phase.hasPrefix("render") { bar.update(done: done, total: total, detail: phase) }
        }
        bar.finish()
        try report.write(to: out)
        for w in report.warnings { Console.error("WARNING: " + w) }
        if json {
            print(String(decoding: try AuditSummary(report, out: out).json(), as: UTF8.self))
        } else {
            print(report.table(), terminator: "")
            print("report: \(out)/report.html, \(out)/report.json")
        }
        if !report.passed, let c = report.comparison {
            throw AuditMismatch(count: c.differing, set: c.labelB, recipe: c.labelA, report: "\(out)/report.html")
        }
    }
}

/// Where clean clips come from, for plans and renders; all optional (without --input plans use synthetic clips).
struct AuditSourceOptions: ParsableArguments {
    @Option(name: .long, help: "Clean clips: REDS-style clip folders or a folder of stills (plans are drawn over them; --render reads them).")
    var input: String?

    @Option(name: .long, help: "How to read --input: auto, reds, stills, or pan.")
    var source: ClipSourceSpec.Kind = .auto

    @Option(name: .customLong("meta-info"), help: "BasicSR meta_info file selecting REDS clips.")
    var metaInfo: String?

    @Option(name: .customLong("pan-frames"), help: "Frames per pan clip.")
    var panFrames: Int = 30

    @Option(name: .customLong("pan-size"), help: "Pan frame size, WIDTHxHEIGHT.")
    var panSize: FrameSize = FrameSize(width: 1280, height: 720)

    var spec: ClipSourceSpec? {
        input.map {
            ClipSourceSpec(kind: source, path: $0, metaInfo: metaInfo, panFrames: panFrames, panWidth: panSize.width, panHeight: panSize.height)
        }
    }
}

/// What `--json` prints: the verdict and where the full report is.
struct AuditSummary: Codable {
    var recipe: String
    var recipeHash: String
    var recipe2: String?
    var samples: Int
    var rendered: Int
    var against: String?
    var recipeHashMatches: Bool?
    var tests: Int?
    var differing: [String]?
    var passed: Bool
    var warnings: [String]
    var report: String
    var html: String

    init(_ r: AuditReport, out: String) {
        recipe = r.recipe.name
        recipeHash = r.recipe.hash
        recipe2 = r.recipe2?.name
        samples = r.samples
        rendered = r.images.first?.clips ?? 0
        against = r.catalog?.path
        recipeHashMatches = r.catalog?.recipeHashMatches
        tests = r.comparison?.tests
        differing = r.comparison?.differingEntries.map { "\($0.at) \($0.name)" }
        passed = r.passed
        warnings = r.warnings
        report = "\(out)/report.json"
        html = "\(out)/report.html"
    }

    func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }
}

/// A rendered set does not match its recipe: exit status 1, naming the count and the report.
struct AuditMismatch: Error, CustomStringConvertible {
    var count: Int
    var set: String
    var recipe: String
    var report: String
    var description: String {
        "audit failed: \(count) \(count == 1 ? "quantity" : "quantities") of \(set) \(count == 1 ? "does" : "do") not match recipe \(recipe); see \(report)"
    }
}
