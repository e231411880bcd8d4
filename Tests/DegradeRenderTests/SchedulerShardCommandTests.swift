import Foundation
import Testing
@testable import DegradeRender

/// preview and audit --render take their shard from the scheduler's environment (or --shard) and do only their
/// share of the samples.
@Suite struct SchedulerShardCommands {
    func degrade(_ args: [String], _ env: [String: String], in dir: String) throws -> DegradeCLI.Result {
        try ClusterJobFiles.run(try DegradeCLI.executable(), args, environment: env, logDir: dir)
    }

    func json(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    @Test func previewDoesItsShareOfTheSamples() throws {
        let ref = try ReferenceRenders.clean(stills: ShardMerge.clipCount, seed: ShardMerge.seed)
        let dir = try RenderFixtures.tempDir("preview-shard")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = ["preview", "\(ref.inputs)/recipe.yaml", "--input", "\(ref.inputs)/stills", "--source", "pan", "--pan-frames", "6",
                    "--pan-size", "48x40", "--samples", "3", "--threads", "1", "--json"]
        // mpirun rank 1 of 2: sample 1 only.
        let r = try degrade(base + ["--out", "\(dir)/mpi"], ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2"], in: dir)
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("shard 2/2 from Open MPI"), "\(r.stderr)")
        #expect(json(r.stdout)?["samples"] as? Int == 1)
        // --shard wins over the environment: shard 1/2 holds samples 0 and 2.
        let flag = try degrade(base + ["--out", "\(dir)/flag", "--shard", "1/2"], ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2"], in: dir)
        try #require(flag.status == 0, "\(flag.stderr)")
        #expect(json(flag.stdout)?["samples"] as? Int == 2)
        #expect(!flag.stderr.contains("from Open MPI"))
        // An Indexed Job without its count is refused before anything is written.
        let k8s = try degrade(base + ["--out", "\(dir)/k8s"], ["JOB_COMPLETION_INDEX": "1"], in: dir)
        #expect(k8s.status == 2 && k8s.stderr.contains("DEGRADE_SHARD_COUNT"), "\(k8s.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/k8s"))
    }

    @Test func auditRendersItsShareOfTheClips() throws {
        let ref = try ReferenceRenders.clean(stills: ShardMerge.clipCount, seed: ShardMerge.seed)
        let dir = try RenderFixtures.tempDir("audit-shard")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // srun task 2 of 3 with --render 4: renders 1 only (k mod 3 = 1).
        let args = ["audit", "\(ref.inputs)/recipe.yaml", "--samples", "20", "--render", "4", "--input", "\(ref.inputs)/stills",
                    "--source", "pan", "--pan-frames", "6", "--pan-size", "48x40", "--jobs", "1", "--json", "--out", "\(dir)/a"]
        let r = try degrade(args, ["SLURM_PROCID": "1", "SLURM_NTASKS": "3"], in: dir)
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("shard 2/3 from srun"), "\(r.stderr)")
        #expect(json(r.stdout)?["rendered"] as? Int == 1)
    }
}
