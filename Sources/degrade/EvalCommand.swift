import ArgumentParser
import DegradeMedia
import DegradeTrain
import Foundation

/// Scores a checkpoint (or just bicubic) on REDS-style LQ/GT folders: PSNR/SSIM on Y per clip and on average, plus
/// NIQE; without GT, no-reference scores (NIQE, noise σ, blockiness) of the clips or of the model's outputs.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "PSNR/SSIM (Y) and NIQE of a checkpoint per clip, next to bicubic; or no-reference scores without GT.",
        discussion: """
            --lq and --gt are REDS-style folders (DIR/<clip>/<frame>.png), matched by clip and frame name; the scale \
            is GT size / LQ size. Frames lose --crop-border pixels on each side before scoring (BasicSR's crop_border). \
            Long clips run through the model in overlapping chunks of --chunk frames. --set ROOT scores a set \
            that `degrade render` wrote (any layout, `--repeat` variants included; read through its catalog) \
            instead of --lq/--gt folders: one row per sample key.

            With --gt: PSNR/SSIM on Y against the GT and NIQE of the output, for the model and the bicubic baseline. \
            Without --gt (real-world clips have none): no-reference scores of the model's outputs, or with no \
            checkpoint of the --lq clips themselves (LQ or SR frames alike) — NIQE (BasicSR's calculate_niqe \
            conventions: Y channel, 96×96 blocks, lower is more natural; "-" when a frame has fewer than two \
            blocks), Immerkær noise σ (8-bit levels) and JPEG blockiness (≈ 1 without an 8×8 grid).

              degrade eval runs/tiny --lq val/lq --gt val/gt              (the newest checkpoint of a run)
              degrade eval --bicubic --lq val/lq --gt val/gt --json
              degrade eval runs/cpu-hour/model --set runs/cpu-hour/val-heldout --crop-border 4
              degrade eval runs/tiny --lq VideoLQ                         (NIQE of the outputs, no GT)
              degrade eval --lq results/sr --json                         (NIQE of existing frames)
            """)

    @Argument(help: "Checkpoint to evaluate (omit with --bicubic, or to score the --lq clips themselves without --gt).")
    var checkpoint: String?
    @Option(name: .long, help: "Folder of low-quality clips (or of any clips to score without --gt).") var lq: String?
    @Option(name: .long, help: "A rendered set (degrade render's output) to score instead of --lq/--gt.") var set: String?
    @Option(name: .long, help: "Folder of ground-truth clips; without it, no-reference scores.") var gt: String?
    @Option(name: .long, help: "Pixels removed on each side before scoring.") var cropBorder: Int = 0
    @Option(name: .long, help: "Frames per model call (bounded memory for long clips).") var chunk: Int = 30
    @Option(name: .long, help: "Context frames on each side of a chunk.") var overlap: Int = 5
    @Flag(name: .long, help: "Only the bicubic baseline, no checkpoint.") var bicubic = false
    @Flag(name: .long, help: "Print JSON instead of the table.") var json = false

    func validate() throws {
        if (lq == nil) == (set == nil) { throw ValidationError("give either --lq (with or without --gt) or --set") }
        if set != nil && gt != nil { throw ValidationError("--set holds its own GT; give --gt only with --lq") }
        if set != nil && checkpoint == nil && !bicubic {
            throw ValidationError("--set scores a model against the set's GT: give CHECKPOINT or --bicubic")
        }
        if bicubic && checkpoint != nil { throw ValidationError("give either CHECKPOINT or --bicubic, not both") }
        if bicubic && gt == nil && set == nil { throw ValidationError("--bicubic needs --gt or --set (the scale is GT size / LQ size)") }
        if !bicubic && checkpoint == nil && gt != nil {
            throw ValidationError("missing CHECKPOINT (or --bicubic for the baseline alone, or no --gt to score the --lq clips)")
        }
        if cropBorder < 0 { throw ValidationError("--crop-border must be ≥ 0") }
        if overlap < 0 || chunk <= 2 * overlap { throw ValidationError("--chunk must exceed twice --overlap") }
    }

    func run() throws {
        let model = try checkpoint.map { try SuperResolverLoader.load($0) }
        let upscale = model.map { m in { (frames: [Image]) in try m.upscale(frames) } }
        if let set {
            let table = try Evaluation.run(set: set, cropBorder: cropBorder, chunk: chunk, overlap: overlap, upscale: upscale)
            print(json ? try table.json() : table.text(), terminator: "")
            return
        }
        guard let lq else { return }
        guard let gt else {
            let table = try Evaluation.runNoReference(root: lq, cropBorder: cropBorder, chunk: chunk, overlap: overlap,
                                                      upscale: upscale)
            print(json ? try table.json() : table.text(), terminator: "")
            return
        }
        let table = try Evaluation.run(lqRoot: lq, gtRoot: gt, cropBorder: cropBorder, chunk: chunk, overlap: overlap,
                                       upscale: upscale)
        print(json ? try table.json() : table.text(), terminator: "")
    }
}
