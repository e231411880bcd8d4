import Foundation
import Testing
@testable import DegradeEngine

/// `degrade plan` on hostile recipes: the real program exits with status 2 and a message naming the file, line
/// and limit — no signal, no hang.
@Suite struct RecipeExitStatus {
    static let executable: String? = {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("degrade").path,
                          repo.appendingPathComponent(".build/debug/degrade").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Writes `contents` as a recipe and runs `degrade plan` on it: (status, stderr).
    func plan(_ contents: Data, _ extra: [String] = []) throws -> (status: Int32, signalled: Bool, stderr: String) {
        let exe = try #require(Self.executable, "build degrade first (swift build)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("recipe-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let recipe = dir.appendingPathComponent("r.yaml")
        try contents.write(to: recipe)
        let err = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["plan", recipe.path] + extra
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, p.terminationReason == .uncaughtSignal, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    @Test(arguments: [
        ("name: x\npipeline:\n  - blur: {kernel_size: [99999999999999999999999]}\n", "r.yaml:3: pipeline[0].blur.kernel_size"),
        ("name: x\npipeline:\n  - blur: {kernel_size: [1e19]}\n", "out of range"),
        ("name: x\npipeline:\n  - blur: {kernel_size: [-1e23]}\n", "pipeline[0].blur.kernel_size"),
        ("name: x\npipeline:\n  - resize: {target_size: [16000, 16000]}\n", "67108864 samples per plane"),
        ("name: x\nframes: 9223372036854775807\npipeline: [quantize]\n", "r.yaml:2: frames: 9223372036854775807 is out of range"),
        ("name: x\npaired_crop: 255\npipeline: [quantize]\n", "r.yaml:2: paired_crop: 255 is not divisible by scale 4"),
        (RecipeBounds.aliasBomb(levels: 29), "limit of 100000 values"),
    ])
    func badRecipeExitsTwo(_ yaml: String, _ expected: String) throws {
        let r = try plan(Data(yaml.utf8))
        #expect(!r.signalled && r.status == 2, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(expected), "\(r.stderr)")
    }

    @Test(arguments: [["--clip-frames=-3"], ["--clip-frames", "0"], ["--variant=-1"]])
    func emptyClipDescriptionExitsTwo(_ args: [String]) throws {
        let r = try plan(Data("name: x\npipeline: [quantize]\n".utf8), args)
        #expect(!r.signalled && r.status == 2, "\(args): status \(r.status): \(r.stderr)")
    }

    @Test func nonUTF8RecipeExitsTwo() throws {
        let r = try plan(Data("name: caf".utf8) + Data([0xE9, 0x0A]) + Data("pipeline: [quantize]\n".utf8))
        #expect(r.status == 2 && r.stderr.contains("r.yaml:1: not UTF-8 text: byte 0xE9 at offset 9"), "\(r.stderr)")
        #expect(!r.stderr.contains("NSCocoaErrorDomain"))
    }
}
