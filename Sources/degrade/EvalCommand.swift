import ArgumentParser
import DegradeMedia
import DegradeTrain
import Foundation

/// Scores a checkpoint (or just bicubic) on REDS-style LQ/GT folders: PSNR/SSIM on Y per clip and on average.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "PSNR/SSIM (Y) of a checkpoint per clip and on average, next to the bicubic baseline.",
        discussion: """
            --lq and --gt are REDS-style folders (DIR/<clip>/<frame>.png), matched by clip and frame name; the scale \
            is GT size / LQ size. Frames lose --crop-border pixels on each side before scoring (BasicSR's crop_border). \
            Long clips run through the model in overlapping chunks of --chunk frames.

              degrade eval runs/tiny --lq val/lq --gt val/gt              (the newest checkpoint of a run)
              degrade eval --bicubic --lq val/lq --gt val/gt --json
            """)

    @Argument(help: "Checkpoint to evaluate (omit with --bicubic).") var checkpoint: String?
    @Option(name: .long, help: "Folder of low-quality clips.") var lq: String
    @Option(name: .long, help: "Folder of ground-truth clips.") var gt: String
    @Option(name: .long, help: "Pixels removed on each side before scoring.") var cropBorder: Int = 0
    @Option(name: .long, help: "Frames per model call (bounded memory for long clips).") var chunk: Int = 30
    @Option(name: .long, help: "Context frames on each side of a chunk.") var overlap: Int = 5
    @Flag(name: .long, help: "Only the bicubic baseline, no checkpoint.") var bicubic = false
    @Flag(name: .long, help: "Print JSON instead of the table.") var json = false

    func validate() throws {
        if bicubic && checkpoint != nil { throw ValidationError("give either CHECKPOINT or --bicubic, not both") }
        if !bicubic && checkpoint == nil { throw ValidationError("missing CHECKPOINT (or --bicubic for the baseline alone)") }
        if cropBorder < 0 { throw ValidationError("--crop-border must be ≥ 0") }
        if overlap < 0 || chunk <= 2 * overlap { throw ValidationError("--chunk must exceed twice --overlap") }
    }

    func run() throws {
        let model = try checkpoint.map { try SuperResolverLoader.load($0) }
        let table = try Evaluation.run(lqRoot: lq, gtRoot: gt, cropBorder: cropBorder, chunk: chunk, overlap: overlap,
                                       upscale: model.map { m in { try m.upscale($0) } })
        print(json ? try table.json() : table.text(), terminator: "")
    }
}
