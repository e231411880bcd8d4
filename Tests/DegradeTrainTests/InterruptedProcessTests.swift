import DegradeMedia
import Foundation
import Testing
@testable import DegradeTrain

/// `degrade train` as a real child process, stopped by SIGTERM (clean stop) or SIGKILL (crash between
/// checkpoints), then resumed: the final checkpoint must equal an uninterrupted run's byte for byte.
@Suite("Interrupted training process", .serialized)
struct InterruptedProcessTests {
    static let total = 40

    /// The `degrade` executable next to the test bundle, or the repository's debug build.
    static let executable: String? = {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("degrade").path]
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") })?.bundlePath {
            candidates.append(URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("degrade").path)
        }
        candidates.append(TrainFixtures.repository.appendingPathComponent(".build/debug/degrade").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Small textured stills, a plain ×4 recipe and a tiny train config in a fresh folder; returns the config path.
    static func workspace(_ label: String) throws -> String {
        let dir = try TrainFixtures.tempDir(label)
        try FileManager.default.createDirectory(atPath: "\(dir)/stills", withIntermediateDirectories: true)
        for k in 0..<2 {
            var image = Image(width: 112, height: 96)
            for c in 0..<3 {
                for y in 0..<96 {
                    for x in 0..<112 {
                        let v = 0.5 + 0.35 * sin(Double(x) * 0.31 + Double(k) + Double(c)) * cos(Double(y) * 0.23 - Double(k))
                        image.pixels[(c * 96 + y) * 112 + x] = Float(v)
                    }
                }
            }
            try ImageFile.writePNG(image, to: "\(dir)/stills/still\(k).png")
        }
        try """
            name: x4
            scale: 4
            frames: 4
            crop: {size: 64}
            pipeline:
              - resize: {target_scale: 0.25, resize_opt: [bicubic]}
              - quantize
            """.write(toFile: "\(dir)/x4.yaml", atomically: true, encoding: .utf8)
        try """
            name: interrupted
            recipe: x4.yaml
            seed: 5
            threads: 1
            batch: 1
            iterations: \(total)
            data:
              source: {kind: pan, input: stills, pan_frames: 4, pan_size: [80, 72]}
              frames: 3
              patch: 8
            network: {channels: 4, cleaning_blocks: 1, propagation_blocks: 1}
            optimizer: {lr: 0.001}
            checkpoint: {every: 4, keep: 100}
            """.write(toFile: "\(dir)/train.yaml", atomically: true, encoding: .utf8)
        return "\(dir)/train.yaml"
    }

    static func launch(_ arguments: [String]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable!)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    /// Runs to completion; returns the exit status and stdout.
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let (p, out) = try launch(arguments)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Waits (up to 60 s) until `condition` holds.
    static func poll(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if condition() { return true }
            usleep(2000)
        }
        return false
    }

    static func finalFiles(_ out: String) throws -> [Data] {
        let folder = "\(out)/\(CheckpointStore.folderName(total))"
        return try [CheckpointStore.generatorFile, CheckpointStore.emaFile, CheckpointStore.optimizerFile].map {
            try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\($0)"))
        }
    }

    @Test("SIGKILL between checkpoints, then --resume: bitwise the uninterrupted run's weights")
    func killAndResume() throws {
        guard Self.executable != nil else {
            Issue.record("the degrade executable is not built (run `swift build` first); cannot test a real child process")
            return
        }
        let config = try Self.workspace("kill")
        let base = URL(fileURLWithPath: config).deletingLastPathComponent().path
        let whole = "\(base)/whole", killed = "\(base)/killed"
        #expect(try Self.run(["train", config, "--out", whole, "--quiet"]).0 == 0)

        // A run that would go on far past `total`, killed once it has a checkpoint beyond the initial one and is
        // part-way to the next.
        // On a loaded machine the poller can be starved until the child has passed `total`; such an attempt
        // tests nothing, so it is retried from scratch (at most 3 times).
        var last = 0
        for _ in 1...3 {
            try? FileManager.default.removeItem(atPath: killed)
            let (p, _) = try Self.launch(["train", config, "--out", killed, "--quiet", "--iterations", "1000000"])
            defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }  // never leave a million-iteration run behind
            let reached = Self.poll { (CheckpointStore.list(in: killed).last?.iteration ?? 0) >= 4 }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            #expect(reached)
            #expect(p.terminationReason == .uncaughtSignal)
            last = CheckpointStore.list(in: killed).last?.iteration ?? 0
            if last < Self.total { break }
        }
        try #require(last < Self.total, "the killed run already passed iteration \(Self.total) in 3 attempts")

        let (status, output) = try Self.run(["train", config, "--out", killed, "--resume", "--quiet"])
        #expect(status == 0, "\(output)")
        #expect(try Self.finalFiles(killed) == Self.finalFiles(whole))
        // The resumed run's log has each iteration exactly once.
        let log = try String(contentsOfFile: "\(killed)/metrics.jsonl", encoding: .utf8)
        let iterations = log.split(separator: "\n").compactMap { line -> Int? in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["loss_total"] != nil else { return nil }
            return o["iteration"] as? Int
        }
        #expect(iterations == Array(1...Self.total))
    }

    @Test("SIGTERM stops cleanly with a checkpoint; --resume reaches the uninterrupted run's weights")
    func terminateAndResume() throws {
        guard Self.executable != nil else {
            Issue.record("the degrade executable is not built (run `swift build` first); cannot test a real child process")
            return
        }
        let config = try Self.workspace("term")
        let base = URL(fileURLWithPath: config).deletingLastPathComponent().path
        let whole = "\(base)/whole", stopped = "\(base)/stopped"
        #expect(try Self.run(["train", config, "--out", whole, "--quiet"]).0 == 0)

        let (p, pipe) = try Self.launch(["train", config, "--out", stopped, "--quiet", "--iterations", "1000000"])
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }  // never leave a million-iteration run behind
        let started = Self.poll {
            ((try? String(contentsOfFile: "\(stopped)/metrics.jsonl", encoding: .utf8))?.split(separator: "\n").count ?? 0) >= 3
        }
        kill(p.processIdentifier, SIGTERM)
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(started)
        #expect(p.terminationReason == .exit && p.terminationStatus == 0)
        #expect(output.contains("stopped at iteration"), "\(output)")
        let last = try #require(CheckpointStore.list(in: stopped).last)
        #expect(output.contains("stopped at iteration \(last.iteration);"))
        try #require(last.iteration < Self.total, "the stopped run already passed iteration \(Self.total)")

        #expect(try Self.run(["train", config, "--out", stopped, "--resume", "--quiet"]).0 == 0)
        #expect(try Self.finalFiles(stopped) == Self.finalFiles(whole))
    }
}
