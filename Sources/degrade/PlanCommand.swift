import ArgumentParser
import DegradeEngine
import DegradeMedia
import Foundation

/// Prints the plan a recipe makes for one clip: every random decision, as JSON.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the degradation plan a recipe draws for one clip (JSON).",
        discussion: """
            Without --input the clip is described by --clip-frames and --clip-size (a REDS clip by default).
            Example: degrade plan recipes/realbasicvsr.yaml --seed 7 --key 000
            """)

    @Argument(help: "Recipe YAML file.") var recipe: String
    @OptionGroup var overrides: OverrideOptions
    @Option(name: .long, help: "Clip key (with --input: one of its clips; default: the first).") var key: String?
    @Option(name: .long, help: "Run seed.") var seed: UInt64 = 0
    @Option(name: .long, help: "Variant index: the n-th degraded sample of the same clip (key#n).") var variant: Int = 0
    @Option(name: .long, help: "Read the clip from this source instead of describing it.") var input: String?
    @Option(name: .long, help: "How to read --input: auto, reds, stills or pan.") var source: ClipSourceSpec.Kind = .auto
    @Option(name: .customLong("clip-frames"), help: "Frames in the described clip.") var clipFrames: Int = 100
    @Option(name: .customLong("clip-size"), help: "Size of the described clip, WIDTHxHEIGHT.") var clipSize: FrameSize = FrameSize(width: 1280, height: 720)

    func validate() throws {
        guard clipFrames >= 1 && clipFrames <= 1_000_000 else { throw ValidationError("--clip-frames must be within 1…1000000") }
        guard variant >= 0 else { throw ValidationError("--variant must be 0 or more") }
    }

    func run() throws {
        let r = try RecipeParser.load(recipe, overrides: try overrides.overrides())
        let clip: ClipInfo
        if let input {
            let src = try ClipSourceSpec(kind: source, path: input).open()
            let clips = try src.clips()
            if let key {
                guard let c = clips.first(where: { $0.key == key }) else {
                    throw InputError("no clip `\(key)` in \(input) (clips: \(clips.prefix(8).map(\.key).joined(separator: ", "))\(clips.count > 8 ? ", …" : ""))")
                }
                clip = c
            } else {
                clip = clips[0]
            }
        } else {
            clip = ClipInfo(key: key ?? "000", frameCount: clipFrames, width: clipSize.width, height: clipSize.height, origin: "described on the command line")
        }
        let plan = try Planner.plan(recipe: r, seed: seed, clip: clip, variant: variant)
        print(try PlanJSON.encode(plan))
    }
}

enum PlanJSON {
    static func encode(_ plan: DegradationPlan) throws -> String { try PlanFile.encode(plan) }

    /// Reads and validates a plan file: a bad one is an `InputError` naming the file and the JSON path.
    static func decode(_ path: String) throws -> DegradationPlan { try PlanFile.read(path) }
}
