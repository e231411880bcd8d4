import ArgumentParser
import DegradeMedia
import Foundation

/// Lists the clips a source provides and, optionally, writes a contact sheet of their frames.
struct ClipsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clips",
        abstract: "List the clips of a source and write a contact sheet of their frames.",
        discussion: """
            Example (the bundled sample as 30-frame camera pans):
              degrade clips --input datasets/sample --source pan --sheet out/sample-sheet.png
            For video files it first lists each file (codec, pixel format, colour matrix and range, rotation,
            frames, keyframes), its shots and any damaged frames (decode errors: windows over them fail), then the clips: one per shot (the first use of a file decodes it
            once to index it; the index is cached in $DEGRADE_CACHE_DIR, else $XDG_CACHE_HOME/degrade).
            """)

    @OptionGroup var source: SourceOptions

    @Option(name: .long, help: "Write a PNG contact sheet (one row per clip, --columns frames spread over each clip) here.")
    var sheet: String?

    @Option(name: .long, help: "Frames shown per clip on the contact sheet.")
    var columns: Int = 5

    @Flag(name: .long, help: "Print the listing as JSON.")
    var json = false

    @Option(name: .customLong("time-windows"), help: "Also read this many windows of --window-frames consecutive frames per clip (seeded starts) and print the mean milliseconds per window: the cost of seeking and decoding a sample's frames from this source.")
    var timeWindows: Int?

    @Option(name: .customLong("window-frames"), help: "Frames per timed window.")
    var windowFrames: Int = 15

    func validate() throws {
        guard columns >= 1 && columns <= 64 else { throw ValidationError("--columns must be within 1…64") }
        if let timeWindows, !(1...10_000).contains(timeWindows) { throw ValidationError("--time-windows must be within 1…10000") }
        guard (1...1000).contains(windowFrames) else { throw ValidationError("--window-frames must be within 1…1000") }
    }

    func run() throws {
        let src = try source.spec.open()
        let clips = try src.clips()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(clips), as: UTF8.self))
        } else {
            if let video = src as? VideoSource { try Self.listFiles(video) }
            print("\(clips.count) clips from \(src.summary)")
            let keyWidth = max(4, clips.map(\.key.count).max() ?? 4)
            for clip in clips {
                let key = clip.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0)
                print("  \(key)  \(String(format: "%4d", clip.frameCount)) frames  \(clip.width)×\(clip.height)  \(clip.origin)")
            }
        }
        if let timeWindows { try WindowTiming.report(src, clips: clips, windows: timeWindows, frames: windowFrames) }
        guard let sheet else { return }
        var rows: [[Image]] = []
        for clip in clips {
            let picks = Self.spread(columns, over: clip.frameCount)
            let frames = try src.frames(of: clip.key, range: picks.first!..<(picks.last! + 1))
            rows.append(picks.map { frames[$0 - picks.first!] })
        }
        let dir = URL(fileURLWithPath: sheet).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ImageFile.writePNG(ContactSheet.make(rows: rows, cellHeight: 144), to: sheet)
        Console.note("contact sheet: \(sheet)")
    }

    private static func listFiles(_ video: VideoSource) throws {
        for f in try video.fileSummaries() {
            let range = f.fullRange ? "full" : "limited"
            let turned = f.rotation == 0 ? "" : ", turned \(f.rotation)°"
            print("\(f.file): \(f.codec) \(f.pixelFormat) \(f.width)×\(f.height)\(turned), \(f.matrix) \(range) range, \(f.frameCount) frames, \(f.keyframes) keyframes")
            let shots = f.shots.map { "\($0[0])..<\($0[1])" }.joined(separator: " ")
            let short = f.shortShots == 0 ? "" : " (\(f.shortShots) shorter than --min-shot left out)"
            print("  \(f.shots.count) shots: \(shots)\(short)")
            if !f.damaged.isEmpty {
                print("  damaged (decode errors; windows over them fail): frames \(f.damaged.map { "\($0[0])..<\($0[1])" }.joined(separator: " "))")
            }
        }
    }

    /// `n` frame indices spread evenly over `count` frames, first and last included.
    static func spread(_ n: Int, over count: Int) -> [Int] {
        guard count > 1, n > 1 else { return [0] }
        let k = min(n, count)
        return (0..<k).map { Int((Double($0) * Double(count - 1) / Double(k - 1)).rounded()) }
    }
}
