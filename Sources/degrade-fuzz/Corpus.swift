import Foundation

/// The valid inputs every case starts from, made once per run: small stills (two synthetic PNGs and one bundled
/// JPEG), a plan JSON for them, and a tiny rendered set with its catalog.
struct Corpus {
    let root: String
    let stills: String
    let plan: String
    let set: String
    let recipes: [String]
    /// Source options that make clips of `stills` small enough for a debug build.
    static let panOptions = ["--source", "pan", "--pan-size", "64x48", "--pan-frames", "3"]

    init(root: String, repo: String, degrade: String) throws {
        self.root = root
        stills = "\(root)/stills"
        plan = "\(root)/plan.json"
        set = "\(root)/set"
        recipes = ((try? FileManager.default.contentsOfDirectory(atPath: "\(repo)/recipes")) ?? [])
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("train") }.sorted().map { "\(repo)/recipes/\($0)" }
        try FileManager.default.createDirectory(atPath: stills, withIntermediateDirectories: true)
        let gradient = PNGWriter.rgb(width: 160, height: 120) { x, y in (UInt8(x), UInt8(y * 2), UInt8((x ^ y) & 0xff)) }
        let checks = PNGWriter.rgb(width: 128, height: 96) { x, y in ((x / 8 + y / 8) % 2 == 0 ? (240, 240, 240) : (20, 60, 120)) }
        try Data(gradient).write(to: URL(fileURLWithPath: "\(stills)/gradient.png"))
        try Data(checks).write(to: URL(fileURLWithPath: "\(stills)/checks.png"))
        try FileManager.default.copyItem(atPath: "\(repo)/datasets/sample/seeding.jpg", toPath: "\(stills)/seeding.jpg")
        let bicubic = "\(repo)/recipes/bicubic.yaml"
        // The plan of a clip as the pan source makes it from gradient.png (`plan --input` has no pan size).
        let described = CaseRunner.run(degrade, ["plan", bicubic, "--key", "gradient@pan", "--clip-size", "64x48", "--clip-frames", "3"],
                                       in: root, timeout: 120)
        guard described.status == 0 else { throw CorpusError("degrade plan failed: \(Corpus.stderr(root))") }
        try FileManager.default.moveItem(atPath: "\(root)/stdout.txt", toPath: plan)
        let rendered = CaseRunner.run(degrade, ["render", bicubic, "--input", stills] + Corpus.panOptions
                                        + ["--frames", "2", "--jobs", "1", "--quiet", "--out", set], in: root, timeout: 300)
        guard rendered.status == 0 else { throw CorpusError("degrade render failed: \(Corpus.stderr(root))") }
        try? FileManager.default.removeItem(atPath: "\(root)/stdout.txt")
        try? FileManager.default.removeItem(atPath: "\(root)/stderr.txt")
    }

    static func stderr(_ folder: String) -> String {
        (try? String(contentsOfFile: "\(folder)/stderr.txt", encoding: .utf8)) ?? ""
    }
}

struct CorpusError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
