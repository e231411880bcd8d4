import DegradeMedia
import Foundation
import Testing
@testable import DegradeTrain

/// `degrade train`, `eval` and `upscale` as real child processes on real checkpoint folders: damaged checkpoints,
/// runs that cannot make progress, two writers of one folder, and the checks made before anything is written.
@Suite("train command safety", .serialized)
struct TrainCommandSafetyTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `degrade` to completion, capturing both streams (stderr through a file, so neither pipe can fill).
    static func degrade(_ arguments: [String]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: InterruptedProcessTests.executable!)
        p.arguments = arguments
        let out = Pipe()
        let errPath = "\(TrainFixtures.root)/stderr-\(UUID().uuidString.prefix(8))"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try err.close()
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: p.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: stderr)
    }

    /// The interrupted-process workspace (stills, ×4 recipe, tiny config) with `edits` applied to train.yaml.
    static func workspace(_ label: String, _ edits: [(String, String)] = []) throws -> (config: String, base: String) {
        let config = try InterruptedProcessTests.workspace(label)
        var text = try String(contentsOfFile: config, encoding: .utf8)
        for (old, new) in edits {
            #expect(text.contains(old), "workspace edit: \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return (config, URL(fileURLWithPath: config).deletingLastPathComponent().path)
    }

    static func files(_ folder: String) throws -> [Data] {
        try [CheckpointStore.generatorFile, CheckpointStore.emaFile, CheckpointStore.optimizerFile].map {
            try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\($0)"))
        }
    }

    static var built: Bool {
        if InterruptedProcessTests.executable == nil {
            Issue.record("the degrade executable is not built (run `swift build` first); cannot test a real child process")
            return false
        }
        return true
    }

    @Test("--resume passes over a newest checkpoint with NaN weights, says which and why, and ends where an undamaged run does")
    func resumeFallsBackPastNaN() throws {
        guard Self.built else { return }
        let (config, base) = try Self.workspace("nan-fallback")
        let out = "\(base)/run"
        #expect(try Self.degrade(["train", config, "--out", out, "--quiet", "--iterations", "8"]).status == 0)
        let newest = "\(out)/ckpt-000008"
        let undamaged = try Self.files(newest)
        try TrainFixtures.rewrite(newest, CheckpointStore.generatorFile) { $0.tensors["basicvsr.conv_last.weight"]?.values[0] = .nan }
        let r = try Self.degrade(["train", config, "--out", out, "--quiet", "--resume", "--iterations", "8"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("skipping \(newest)") && r.stderr.contains("\(newest)/generator.safetensors")
                && r.stderr.contains("non-finite"), "\(r.stderr)")
        #expect(r.stderr.contains("resuming from \(out)/ckpt-000004"), "\(r.stderr)")
        #expect(try Self.files(newest) == undamaged)
    }

    @Test("every step non-finite: exit 1 naming the last good checkpoint, which rotation kept while the skip checkpoints rotated")
    func divergedRunStops() throws {
        guard Self.built else { return }
        let (config, base) = try Self.workspace("diverged", [
            ("checkpoint: {every: 4, keep: 100}", "checkpoint: {every: 1, keep: 2}\nmax_consecutive_skips: 2\nmax_fruitless_reloads: 2"),
        ])
        let out = "\(base)/run"
        #expect(try Self.degrade(["train", config, "--out", out, "--quiet", "--iterations", "4"]).status == 0)
        let good = "\(out)/ckpt-000004"
        // Finite but huge weights: the checkpoint is intact and known-good, yet every step from it overflows.
        try TrainFixtures.rewrite(good, CheckpointStore.generatorFile) { t in
            for name in t.tensors.keys { t.tensors[name]!.values = t.tensors[name]!.values.map { $0 * 1e30 } }
        }
        let goodBytes = try Self.files(good)
        let r = try Self.degrade(["train", config, "--out", out, "--quiet", "--resume", "--iterations", "100"])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("training diverged") && r.stderr.contains("the last good checkpoint is \(good)"), "\(r.stderr)")
        #expect(!r.stdout.contains("trained"))
        // Reloads at 6 and 8, the third run of skips ends it at 10; checkpoints 5…9 were written, keep: 2.
        #expect(CheckpointStore.list(in: out).map(\.iteration) == [4, 8, 9])
        #expect(try Self.files(good) == goodBytes)
        #expect(FileManager.default.fileExists(atPath: "\(out)/training.html"))
    }

    @Test("a checkpoint with a flipped bit given to eval, upscale or init_from: exit 2 naming the file, nothing written")
    func explicitDamagedCheckpoint() throws {
        guard Self.built else { return }
        let (config, base) = try Self.workspace("explicit")
        let out = "\(base)/run"
        #expect(try Self.degrade(["train", config, "--out", out, "--quiet", "--iterations", "4"]).status == 0)
        let ema = "\(out)/ckpt-000004/\(CheckpointStore.emaFile)"
        try TrainFixtures.flipBit(ema)
        let eval = try Self.degrade(["eval", "\(out)/ckpt-000004", "--lq", "\(base)/stills", "--gt", "\(base)/stills"])
        #expect(eval.status == 2 && eval.stderr.contains(ema) && eval.stderr.contains("checksum"), "\(eval.stderr)")
        let upscale = try Self.degrade(["upscale", out, "--input", "\(base)/stills", "--out", "\(base)/sr"])
        #expect(upscale.status == 2 && upscale.stderr.contains(ema), "\(upscale.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(base)/sr"))
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text += "\ninit_from: run/ckpt-000004\n"
        try text.write(toFile: "\(base)/stage2.yaml", atomically: true, encoding: .utf8)
        for extra in [["--dry-run"], []] {
            let r = try Self.degrade(["train", "\(base)/stage2.yaml", "--out", "\(base)/stage2", "--quiet"] + extra)
            #expect(r.status == 2 && r.stderr.contains(ema) && r.stderr.contains("checksum"), "\(extra): \(r.stderr)")
        }
        #expect(CheckpointStore.list(in: "\(base)/stage2").isEmpty)
    }

    @Test("a second train into the same --out exits 2 naming the first one's pid; once it is killed, --resume runs")
    func secondWriterRefused() throws {
        guard Self.built else { return }
        let (config, base) = try Self.workspace("lock")
        let out = "\(base)/run"
        let (first, _) = try InterruptedProcessTests.launch(["train", config, "--out", out, "--quiet", "--iterations", "1000000"])
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        #expect(InterruptedProcessTests.poll { !CheckpointStore.list(in: out).isEmpty })
        let second = try Self.degrade(["train", config, "--out", out, "--quiet", "--resume", "--iterations", "1000000"])
        #expect(second.status == 2, "\(second.stderr)")
        #expect(second.stderr.contains("another degrade process is writing \(out) (pid \(first.processIdentifier))"), "\(second.stderr)")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let last = try #require(CheckpointStore.list(in: out).last).iteration
        let resumed = try Self.degrade(["train", config, "--out", out, "--quiet", "--resume", "--iterations", "\(last + 1)"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("trained \(last + 1) iterations"), "\(resumed.stdout)")
    }

    @Test("--dry-run checks the recipe and the data: a missing one is exit 2 naming it")
    func dryRunChecksInputs() throws {
        guard Self.built else { return }
        let (config, base) = try Self.workspace("dryrun")
        #expect(try Self.degrade(["train", config, "--out", "\(base)/run", "--dry-run"]).status == 0)
        try FileManager.default.moveItem(atPath: "\(base)/stills", toPath: "\(base)/elsewhere")
        let noInput = try Self.degrade(["train", config, "--out", "\(base)/run", "--dry-run"])
        #expect(noInput.status == 2 && noInput.stderr.contains("\(base)/stills"), "\(noInput.stderr)")
        try FileManager.default.moveItem(atPath: "\(base)/elsewhere", toPath: "\(base)/stills")
        try FileManager.default.removeItem(atPath: "\(base)/x4.yaml")
        let noRecipe = try Self.degrade(["train", config, "--out", "\(base)/run", "--dry-run"])
        #expect(noRecipe.status == 2 && noRecipe.stderr.contains("\(base)/x4.yaml"), "\(noRecipe.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(base)/run"))
    }

    @Test("--resume with --iterations below the checkpoint's iteration is exit 2; equal to it trains nothing and says so")
    func resumeBelowCheckpoint() throws {
        guard Self.built else { return }
        let (config, base) = try Self.workspace("below")
        let out = "\(base)/run"
        #expect(try Self.degrade(["train", config, "--out", out, "--quiet", "--iterations", "4"]).status == 0)
        let before = try Self.files("\(out)/ckpt-000004")
        let below = try Self.degrade(["train", config, "--out", out, "--resume", "--iterations", "2"])
        #expect(below.status == 2, "\(below.stderr)")
        #expect(below.stderr.contains("\(out)/ckpt-000004 is at iteration 4, past --iterations 2"), "\(below.stderr)")
        let equal = try Self.degrade(["train", config, "--out", out, "--resume", "--iterations", "4"])
        #expect(equal.status == 0 && equal.stderr.contains("already reached iteration 4"), "\(equal.stderr)")
        #expect(CheckpointStore.list(in: out).map(\.iteration) == [0, 4])
        #expect(try Self.files("\(out)/ckpt-000004") == before)
    }

    @Test("upscale and train refuse an --out that is the input or a file (exit 2)")
    func outputRefused() throws {
        guard Self.built else { return }
        let (config, base) = try Self.workspace("upscale-overlap")
        let r = try Self.degrade(["upscale", "--bicubic", "--input", "\(base)/stills", "--out", "\(base)/stills"])
        #expect(r.status == 2 && r.stderr.contains("is the same folder as --input"), "\(r.stderr)")
        let file = "\(base)/x4.yaml"
        let upscale = try Self.degrade(["upscale", "--bicubic", "--input", "\(base)/stills", "--out", file])
        #expect(upscale.status == 2 && upscale.stderr.contains("--out \(file): is a file, not a folder"), "\(upscale.stderr)")
        let train = try Self.degrade(["train", config, "--out", file])
        #expect(train.status == 2 && train.stderr.contains("--out \(file): is a file, not a folder"), "\(train.stderr)")
        let inside = try Self.degrade(["train", config, "--out", "\(base)/stills/run"])
        #expect(inside.status == 2 && inside.stderr.contains("lies inside data.source.input"), "\(inside.stderr)")
    }

    @Test("upscale refuses an --out whose lock another process holds, naming its pid; once released it writes")
    func upscaleBusy() throws {
        guard Self.built else { return }
        let (_, base) = try Self.workspace("upscale-lock")
        let out = "\(base)/sr"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let lock = try OutputLock(folder: out)
        let busy = try Self.degrade(["upscale", "--bicubic", "--input", "\(base)/stills", "--out", out, "--quiet"])
        #expect(busy.status == 2 && busy.stderr.contains("another degrade process is writing \(out) (pid \(getpid()))"), "\(busy.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [OutputLock.fileName])
        lock.release()
        let free = try Self.degrade(["upscale", "--bicubic", "--input", "\(base)/stills", "--out", out, "--quiet"])
        #expect(free.status == 0, "\(free.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(out)/stills/still0.png"))
    }
}
