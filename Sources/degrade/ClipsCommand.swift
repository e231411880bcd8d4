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
            """)

    @OptionGroup var source: SourceOptions

    @Option(name: .long, help: "Write a PNG contact sheet (one row per clip, --columns frames spread over each clip) here.")
    var sheet: String?

    @Option(name: .long, help: "Frames shown per clip on the contact sheet.")
    var columns: Int = 5

    @Flag(name: .long, help: "Print the listing as JSON.")
    var json = false

    func validate() throws {
        guard columns >= 1 && columns <= 64 else { throw ValidationError("--columns must be within 1…64") }
    }

    func run() throws {
        let src = try source.spec.open()
        let clips = try src.clips()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(clips), as: UTF8.self))
        } else {
            print("\(clips.count) clips from \(src.summary)")
            let keyWidth = max(4, clips.map(\.key.count).max() ?? 4)
            for clip in clips {
                let key = clip.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0)
                print("  \(key)  \(String(format: "%4d", clip.frameCount)) frames  \(clip.width)×\(clip.height)  \(clip.origin)")
            }
        }
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

    /// `n` frame indices spread evenly over `count` frames, first and last included.
    static func spread(_ n: Int, over count: Int) -> [Int] {
        guard count > 1, n > 1 else { return [0] }
        let k = min(n, count)
        return (0..<k).map { Int((Double($0) * Double(count - 1) / Double(k - 1)).rounded()) }
    }
}
