import ArgumentParser
import DegradeEngine
import DegradeMedia
import Foundation

/// Encodes camera pans over a folder of photos into one video file, one shot per photo: test footage with
/// known cuts, made from the bundled photographs rather than third-party video.
struct MakeVideoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-video",
        abstract: "Encode camera pans over photos into one H.264 video (one shot per photo, cut between them).",
        discussion: """
            Frames come from `--source pan` (sub-pixel pan and slight zoom per photo), encoded with libx264 at a
            fixed GOP (no scene-cut keyframes, --bframes B-frames) as BT.709 limited-range yuv420p.
            Example (the bundled sample as a 480x270 video with four cuts):
              degrade make-video --input datasets/sample --out out/sample.mp4 --size 480x270 --frames-per-photo 40
            """)

    @Option(name: .long, help: "Folder of photos (PNG or JPEG).") var input: String
    @Option(name: .long, help: "Output video file (.mp4, .mkv or .mov).") var out: String
    @Option(name: .long, help: "Frame size, WIDTHxHEIGHT (even).") var size: FrameSize = FrameSize(width: 1280, height: 720)
    @Option(name: .customLong("frames-per-photo"), help: "Frames of each shot.") var framesPerPhoto: Int = 30
    @Option(name: .long, help: "Keyframe interval (GOP length) in frames.") var gop: Int = 12
    @Option(name: .long, help: "B-frames between reference frames.") var bframes: Int = 2
    @Option(name: .long, help: "libx264 constant quantiser, 0 (lossless) … 51.") var qp: Int = 18
    @Option(name: .long, help: "libx264 preset (ultrafast … veryslow); ultrafast has no CABAC or deblocking, so it decodes faster than typical footage.") var preset: String = "veryfast"

    func validate() throws {
        guard size.width % 2 == 0, size.height % 2 == 0, size.width <= 8192, size.height <= 8192 else {
            throw ValidationError("--size must be even on both sides and at most 8192x8192")
        }
        guard (1...10_000).contains(framesPerPhoto) else { throw ValidationError("--frames-per-photo must be within 1…10000") }
        guard (1...1000).contains(gop) else { throw ValidationError("--gop must be within 1…1000") }
        guard (0...16).contains(bframes) else { throw ValidationError("--bframes must be within 0…16") }
        guard (0...51).contains(qp) else { throw ValidationError("--qp must be within 0…51") }
        let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"]
        guard presets.contains(preset) else { throw ValidationError("--preset must be one of \(presets.joined(separator: ", "))") }
        let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
        guard ["mp4", "mkv", "mov"].contains(ext) else { throw ValidationError("--out must end in .mp4, .mkv or .mov") }
    }

    func run() throws {
        try PathOverlap.check(output: out, inputs: [("--input", input)])
        let pans = try PanSource(stills: StillsSource(folder: input), frames: framesPerPhoto, width: size.width, height: size.height)
        var settings = VideoFileWriter.Settings()
        settings.width = size.width
        settings.height = size.height
        settings.gop = gop
        settings.bFrames = bframes
        settings.quantizer = qp
        settings.preset = preset
        let folder = URL(fileURLWithPath: out).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let writer = try VideoFileWriter(path: out, settings: settings)
        let clips = try pans.clips()
        for clip in clips {
            for frame in try pans.frames(of: clip.key) { try writer.append(image: frame) }
        }
        try writer.finish()
        Console.note("\(out): \(clips.count) shots of \(framesPerPhoto) frames, \(size.width)x\(size.height), GOP \(gop)")
    }
}
