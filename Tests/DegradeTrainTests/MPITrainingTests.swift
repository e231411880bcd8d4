import Foundation
import Testing
@testable import DegradeTrain

/// Open MPI's launcher, when installed.
let mpirunPath: String? = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// `mpirun -n 2 degrade train` as real processes: data-parallel training equals one process with twice the batch,
/// repeats bitwise, writes only from rank 0, and survives a killed rank by --resume.
@Suite("MPI data-parallel training", .serialized, .enabled(if: mpirunPath != nil, "mpirun is not installed (tools/setup installs openmpi-bin)"))
struct MPITrainingTests {
    static let mpirun = mpirunPath
    static let total = 48

    /// mpirun's switches for this 2-core CI machine: more ranks than cores, root allowed, no CMA single copy
    /// (containers forbid the ptrace it needs).
    static func mpirunArguments(ranks: Int, _ arguments: [String]) -> [String] {
        var a = ["-n", "\(ranks)", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none"]
        if getuid() == 0 { a.append("--allow-run-as-root") }
        return a + [InterruptedProcessTests.executable!] + arguments
    }

    /// Starts `mpirun … degrade arguments`, stdout and stderr to files in `log`.
    static func launch(ranks: Int, _ arguments: [String], log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: mpirun!)
        p.arguments = mpirunArguments(ranks: ranks, arguments)
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OMPI_") && !$0.key.hasPrefix("PMIX_") }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: log)
        p.standardError = p.standardOutput
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func run(ranks: Int, _ arguments: [String], log: String) throws -> (Int32, String) {
        let p = try launch(ranks: ranks, arguments, log: log)
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    static func generator(_ out: String, _ iteration: Int) throws -> [String: [Float]] {
        try SafeTensors.read("\(out)/\(CheckpointStore.folderName(iteration))/\(CheckpointStore.generatorFile)").tensors.mapValues(\.values)
    }

    /// `loss_total` of every step line of a metrics.jsonl, in order.
    static func losses(_ path: String) throws -> [Double] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["loss_total"] as? Double
        }
    }

    /// One uninterrupted 2-rank run, shared by the tests that compare against it.
    static let reference: Result<String, Error> = Result {
        let config = try InterruptedProcessTests.workspace("mpi-ref")
        let out = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("ref").path
        let (status, log) = try run(ranks: 2, ["train", config, "--out", out, "--iterations", "\(total)", "--quiet"], log: "\(out).log")
        guard status == 0 else { throw TrainError("reference 2-rank run failed (\(status)): \(log)") }
        return out
    }

    @Test("2 ranks equal 1 process with twice the batch (float tolerance), and repeat bitwise")
    func twoRanksEqualOneProcessWithTwiceTheBatch() throws {
        let ref = try Self.reference.get()
        let config = try InterruptedProcessTests.workspace("mpi-a")
        let dir = URL(fileURLWithPath: config).deletingLastPathComponent().path
        // The same run again: bitwise the same checkpoint files.
        let (s2, log2) = try Self.run(ranks: 2, ["train", config, "--out", "\(dir)/again", "--iterations", "\(Self.total)", "--quiet"], log: "\(dir)/again.log")
        try #require(s2 == 0, "\(log2)")
        #expect(try InterruptedProcessTests.finalFiles("\(dir)/again") == InterruptedProcessTests.finalFiles(ref))
        // One process, batch 2: the same samples per step (positions 2s, 2s+1), summed in another order.
        let doubled = "\(dir)/train-batch2.yaml"
        try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "batch: 1", with: "batch: 2")
            .write(toFile: doubled, atomically: true, encoding: .utf8)
        let (s1, out1) = try InterruptedProcessTests.run(["train", doubled, "--out", "\(dir)/single", "--iterations", "8", "--quiet"])
        try #require(s1 == 0, "\(out1)")
        let a = try Self.generator(ref, 8), b = try Self.generator("\(dir)/single", 8), start = try Self.generator(ref, 0)
        try #require(a.keys.sorted() == b.keys.sorted())
        var largest: Float = 0, moved: Float = 0
        for (name, x) in a {
            for i in x.indices {
                largest = max(largest, abs(x[i] - b[name]![i]))
                moved = max(moved, abs(x[i] - start[name]![i]))
            }
        }
        #expect(largest < 2e-5, "largest weight difference \(largest)")
        #expect(moved > 1e-3, "the runs trained (largest change \(moved))")
        // Losses logged by rank 0 are the whole batch's: the same curve as the single process.
        let lossesA = try Self.losses("\(ref)/metrics.jsonl").prefix(8), lossesB = try Self.losses("\(dir)/single/metrics.jsonl")
        #expect(zip(lossesA, lossesB).allSatisfy { abs($0 - $1) < 1e-5 }, "\(lossesA) vs \(lossesB)")
    }

    @Test("only rank 0 writes: one checkpoint series, one metrics line per iteration; another N is refused on resume")
    func onlyRankZeroWrites() throws {
        let ref = try Self.reference.get()
        let state = try CheckpointIntegrity.readState("\(ref)/\(CheckpointStore.folderName(Self.total))")
        #expect(state.worldSize == 2)
        let iterations = try Self.losses("\(ref)/metrics.jsonl")
        #expect(iterations.count == Self.total, "a rank other than 0 appended to metrics.jsonl")
        let entries = try FileManager.default.contentsOfDirectory(atPath: ref).sorted()
        #expect(entries.filter { $0.hasPrefix("ckpt-") }.count == Self.total / 4 + 1)
        #expect(entries.allSatisfy { $0.hasPrefix("ckpt-") || $0.hasPrefix("events.out.tfevents.") || ["metrics.jsonl", "training.html", "config.yaml", ".degrade.lock"].contains($0) }, "\(entries)")
        #expect(entries.filter { $0.hasPrefix("events.out.tfevents.") }.count == 1, "one TensorBoard event file, rank 0's: \(entries)")
        // Resuming with one process is refused before anything is touched.
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(ref)/metrics.jsonl"))
        let config = URL(fileURLWithPath: ref).deletingLastPathComponent().appendingPathComponent("train.yaml").path
        let (status, _) = try InterruptedProcessTests.run(["train", config, "--out", ref, "--resume", "--iterations", "\(Self.total + 4)", "--quiet"])
        #expect(status == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(ref)/metrics.jsonl")) == before)
    }

    @Test("a killed rank ends the job; --resume reaches the uninterrupted 2-rank weights bitwise")
    func killedRankEndsTheJobAndResumeCatchesUp() throws {
        let ref = try Self.reference.get()
        let config = try InterruptedProcessTests.workspace("mpi-b")
        let dir = URL(fileURLWithPath: config).deletingLastPathComponent().path
        let out = "\(dir)/run"
        let job = try Self.launch(ranks: 2, ["train", config, "--out", out, "--iterations", "\(Self.total)", "--quiet"], log: "\(dir)/killed.log")
        #expect(InterruptedProcessTests.poll { FileManager.default.fileExists(atPath: "\(out)/\(CheckpointStore.folderName(4))") })
        let rank1 = try #require(Self.rank(1, of: job.processIdentifier), "rank 1's process")
        kill(rank1, SIGKILL)
        // The job ends (no hang), with a message naming the dead rank.
        #expect(InterruptedProcessTests.poll { !job.isRunning }, "mpirun still running 60 s after a rank was killed")
        if job.isRunning { job.terminate() }
        job.waitUntilExit()
        let log = (try? String(contentsOfFile: "\(dir)/killed.log", encoding: .utf8)) ?? ""
        #expect(job.terminationStatus != 0)
        #expect(log.contains("rank 1") || log.contains("rank: 1"), "\(log)")
        try #require(!FileManager.default.fileExists(atPath: "\(out)/\(CheckpointStore.folderName(Self.total))"), "the run finished before the kill")
        let (status, resumed) = try Self.run(ranks: 2, ["train", config, "--out", out, "--resume", "--quiet"], log: "\(dir)/resume.log")
        try #require(status == 0, "\(resumed)")
        #expect(try InterruptedProcessTests.finalFiles(out) == InterruptedProcessTests.finalFiles(ref))
    }

    /// The pid of rank `rank` among the descendants of mpirun `root` (its environment names the rank).
    static func rank(_ rank: Int, of root: Int32) -> Int32? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
            for pid in pids {
                guard let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                      env.split(separator: 0).contains(where: { $0.elementsEqual("OMPI_COMM_WORLD_RANK=\(rank)".utf8) }),
                      isDescendant(pid, of: root) else { continue }
                return pid
            }
            usleep(10_000)
        }
        return nil
    }

    static func isDescendant(_ pid: Int32, of root: Int32) -> Bool {
        var p = pid
        for _ in 0..<8 {
            guard let stat = try? String(contentsOfFile: "/proc/\(p)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]) else { return false }
            if parent == root { return true }
            p = parent
        }
        return false
    }
}
