import ArgumentParser
import DegradeEngine
import DegradeMedia
import Foundation

/// Writes clips of any source as REDS folders: video shots become `OUT/<key>/00000000.png …` plus a BasicSR
/// `meta_info.txt`, for users who want the frames on disk (or to compare with a PNG-folder source).
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Write the clips of a source (e.g. the shots of video files) as REDS folders of PNG frames with meta_info.txt.",
        discussion: """
            The output appears complete or not at all: frames go to a temporary folder beside --out that is renamed
            into place at the end. Frames are decoded 8 at a time, so memory stays bounded for long shots.
            Example: degrade extract --input my-footage --source video --out my-footage-frames
            """)

    @OptionGroup var source: SourceOptions
    @Option(name: .long, help: "Output folder (must not exist yet).") var out: String
    @Option(name: .long, help: "Comma-separated clip keys (default: all).") var clips: String?
    @Option(name: .long, help: "Write at most this many frames of each clip (from its first frame).") var frames: Int?

    func validate() throws {
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
    }

    func run() throws {
        var inputs: [(option: String, path: String)] = [("--input", source.input)]
        if let m = source.metaInfo { inputs.append(("--meta-info", m)) }
        try PathOverlap.check(output: out, inputs: inputs)
        guard !FileManager.default.fileExists(atPath: out) else { throw InputError("--out \(out) already exists; extract writes a new folder") }
        let src = try source.spec.open()
        var chosen = try src.clips()
        if let clips {
            let keys = clips.split(separator: ",").map(String.init)
            for key in keys where !chosen.contains(where: { $0.key == key }) {
                throw InputError("no clip `\(key)` in \(source.input); `degrade clips` lists the keys")
            }
            chosen = chosen.filter { keys.contains($0.key) }
        }
        let parent = URL(fileURLWithPath: out).deletingLastPathComponent().path
        try Folder.create(parent)
        let staging = "\(parent)/.\(URL(fileURLWithPath: out).lastPathComponent).partial-\(getpid())"
        try? Folder.remove(staging)
        do {
            var entries: [MetaInfo.Entry] = []
            for clip in chosen {
                let count = min(clip.frameCount, frames ?? clip.frameCount)
                let dir = "\(staging)/\(clip.key)"
                try Folder.create(dir)
                for start in stride(from: 0, to: count, by: 8) {
                    let chunk = try src.frames(of: clip.key, range: start..<min(start + 8, count))
                    for (i, frame) in chunk.enumerated() {
                        try ImageFile.writePNG(frame, to: "\(dir)/\(String(format: "%08d", start + i)).png")
                    }
                }
                entries.append(MetaInfo.Entry(key: clip.key, frameCount: count, height: clip.height, width: clip.width, channels: 3))
            }
            try AtomicFile.write(Array(MetaInfo(entries: entries).render().utf8), to: "\(staging)/meta_info.txt")
            try Folder.move(staging, to: out)
        } catch {
            try? Folder.remove(staging)
            throw error
        }
        Console.note("\(out): \(chosen.count) clips as REDS folders, meta_info.txt")
    }
}
