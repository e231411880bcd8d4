import ArgumentParser
import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation

/// Degrades one clip and writes its GT and LQ frames and plan.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Degrade one clip with a recipe; write lq/, gt/ (and gt_unsharp/) frames and plan.json.",
        discussion: """
            The output folder appears complete or not at all: frames are written to a temporary folder beside it
            that is renamed into place at the end. With --plan, a stored plan is replayed exactly; \
            a plan file with a missing or mistyped field, a per-frame list of the wrong length, an unknown step or an \
            out-of-range value is refused (exit 2) with the JSON path of the first bad value.
            Example: degrade apply recipes/realbasicvsr.yaml --input datasets/sample --source pan --key life@pan --out out/life
            """)

    @Argument(help: "Recipe YAML file.") var recipe: String
    @OptionGroup var overrides: OverrideOptions
    @OptionGroup var source: SourceOptions
    @Option(name: .long, help: "Output folder.") var out: String
    @Option(name: .long, help: "Clip key (default: the first clip of the source), or a training-stream sample key <clip>@e<epoch>[.<pass>] (what the stream and the Python bridge report).") var key: String?
    @Option(name: .long, help: "Variant index (key#n).") var variant: Int = 0
    @Option(name: .long, help: "Replay this plan.json instead of drawing a new plan.") var plan: String?
    @OptionGroup var render: RenderOptions
    @Flag(name: .long, help: "Replace --out if it holds an earlier `apply` output (lq/, gt/, gt_unsharp/, plan.json and nothing else).") var force = false

    /// What an `apply` output folder holds; `--force` replaces only a folder with nothing else in it.
    static let ownNames: Set<String> = ["lq", "gt", "gt_unsharp", "plan.json"]

    func run() throws {
        let r = try RecipeParser.load(recipe, overrides: try overrides.overrides())
        let src = try source.spec.open()
        let fm = FileManager.default
        var inputs: [(option: String, path: String)] = [("--input", source.input), ("the recipe", recipe)]
        if let plan { inputs.append(("--plan", plan)) }
        if let m = source.metaInfo { inputs.append(("--meta-info", m)) }
        try PathOverlap.check(output: out, inputs: inputs)
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: out, isDirectory: &isDir) {
            guard isDir.boolValue else { throw InputError("--out \(out) is a file, not a folder") }
            let entries = Folder.entries(out)
            if !entries.isEmpty {
                guard force else { throw InputError("\(out) already exists; pass --force to replace an earlier apply output there") }
                let foreign = entries.filter { !Self.ownNames.contains($0) }.sorted()
                guard foreign.isEmpty else {
                    throw InputError("--out \(out) holds files an apply did not write (\(foreign.prefix(3).joined(separator: ", "))); --force replaces only an earlier apply output. Choose another --out")
                }
            }
        }
        let thePlan: DegradationPlan
        if let plan {
            thePlan = try PlanJSON.decode(plan)
            guard thePlan.recipeHash == r.hash else {
                throw InputError("\(plan) was made from a different recipe (hash \(thePlan.recipeHash), \(recipe) has \(r.hash))")
            }
            guard let clip = try src.clips().first(where: { $0.key == thePlan.clip }) else {
                throw InputError("\(plan): plan clip: no clip `\(thePlan.clip)` in \(source.input)")
            }
            do {
                try thePlan.validate(against: clip)
            } catch let e as InputError {
                throw InputError("\(plan): \(e.message)")
            }
        } else {
            let clips = try src.clips()
            let clip: ClipInfo
            var streamKey: String?
            if let key {
                if let c = clips.first(where: { $0.key == key }) {
                    clip = c
                } else if let name = StreamKey.clip(of: key, among: Set(clips.map(\.key))), let c = clips.first(where: { $0.key == name }) {
                    // A stream sample: degraded under its own key, exactly as the stream made it.
                    guard variant == 0 else { throw InputError("--variant applies to clip keys, not to the stream sample key `\(key)`") }
                    clip = c
                    streamKey = key
                } else {
                    throw InputError("no clip `\(key)` in \(source.input) (expected a clip key or a stream key <clip>@e<epoch>[.<pass>])")
                }
            } else {
                clip = clips[0]
            }
            thePlan = try Planner.plan(recipe: r, seed: render.seed, clip: clip, variant: variant, key: streamKey)
        }
        let maker = SampleMaker(recipe: r, seed: render.seed, source: src, executor: Executor(threads: render.threads))
        let result = try maker.make(thePlan)

        let parent = URL(fileURLWithPath: out).deletingLastPathComponent().path
        try Folder.create(parent)
        let staging = "\(parent)/.\(URL(fileURLWithPath: out).lastPathComponent).partial-\(getpid())"
        try? Folder.remove(staging)
        do {
            try writeFrames(result.lq, to: "\(staging)/lq")
            try writeFrames(result.gt, to: "\(staging)/gt")
            if let u = result.gtUnsharp { try writeFrames(u, to: "\(staging)/gt_unsharp") }
            try AtomicFile.write(Array(try PlanJSON.encode(thePlan).utf8), to: "\(staging)/plan.json")
            if fm.fileExists(atPath: out) { try Folder.remove(out) }
            try Folder.move(staging, to: out)
        } catch {
            try? Folder.remove(staging)
            throw error
        }
        let lq = result.lq[0]
        print("\(thePlan.key): \(result.gt.count) frames, GT \(result.gt[0].width)×\(result.gt[0].height) → LQ \(lq.width)×\(lq.height) in \(out)")
        let timing = result.opSeconds.sorted { $0.value > $1.value }.map { String(format: "%@ %.0f ms", $0.key, $0.value * 1000) }
        Console.note("time: " + timing.joined(separator: ", "))
    }

    func writeFrames(_ frames: [Image], to dir: String) throws {
        try Folder.create(dir)
        for (i, f) in frames.enumerated() {
            try ImageFile.writePNG(f, to: "\(dir)/\(String(format: "%08d", i)).png")
        }
    }
}
