import ArgumentParser
import DegradeEngine
import DegradeMedia
import DegradeTrain
import Foundation

/// Upscales REDS-style clips with a checkpoint (or bicubic), chunking long clips so memory stays bounded.
struct UpscaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upscale",
        abstract: "Upscale clips with a checkpoint, in overlapping chunks so long clips fit in memory.",
        discussion: """
            --input is DIR/<clip>/<frame>.png (or one folder of frames); results go to OUT/<clip>/<frame>.png with the \
            input's frame names. Each chunk of --chunk frames carries --overlap context frames on either side; only its \
            centre is kept. OUT must lie outside --input, and one process at a time writes it (a second exits with status 2).

              degrade upscale runs/tiny --input val/lq --out sr/
            """)

    @Argument(help: "Checkpoint to run (omit with --bicubic).") var checkpoint: String?
    @Option(name: .long, help: "Folder of low-quality clips.") var input: String
    @Option(name: .long, help: "Output folder.") var out: String
    @Option(name: .long, help: "Frames per model call.") var chunk: Int = 30
    @Option(name: .long, help: "Context frames on each side of a chunk.") var overlap: Int = 5
    @Flag(name: .long, help: "Bicubic interpolation instead of a checkpoint.") var bicubic = false
    @Option(name: .long, help: "Scale of --bicubic.") var scale: Int = 4
    @Flag(name: .long, help: "No per-clip lines on stderr.") var quiet = false

    func validate() throws {
        if bicubic && checkpoint != nil { throw ValidationError("give either CHECKPOINT or --bicubic, not both") }
        if !bicubic && checkpoint == nil { throw ValidationError("missing CHECKPOINT (or --bicubic)") }
        if overlap < 0 || chunk <= 2 * overlap { throw ValidationError("--chunk must exceed twice --overlap") }
        if scale < 1 { throw ValidationError("--scale must be ≥ 1") }
    }

    func run() throws {
        // Frames keep their input names, so writing into the input would replace the LQ frames with results.
        try PathOverlap.check(output: out, inputs: [("--input", input)])
        let model: any SuperResolver = try checkpoint.map { try SuperResolverLoader.load($0) } ?? BicubicResolver(scale: scale)
        let clips = try Evaluation.clips(in: input, role: "input")
        let lock = try OutputLock.claim(out)
        defer { lock.release() }
        for clip in clips {
            let frames = try clip.frames.map { try ImageFile.read(clip.path + "/" + $0).image }
            let result = try Upscaling.chunked(frames: frames, chunk: chunk, overlap: overlap, upscale: model.upscale)
            let names = clip.frames.map { ($0 as NSString).deletingPathExtension + ".png" }
            try Upscaling.writeClip(result, to: (out as NSString).appendingPathComponent(clip.name), names: names)
            if !quiet { Console.note("\(clip.name): \(frames.count) frames ×\(model.scale)") }
        }
    }
}
