import Foundation
import Testing
import Yams
@testable import DegradeRender

/// The example job files in tools/cluster/ do what they say: the Slurm array script's commands, run with the
/// variables Slurm would set, render shards that merge into the single render; the Kubernetes manifest wires the
/// fields degrade's shard mapping relies on.
@Suite struct ClusterJobFiles {
    static let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tools/cluster").path

    /// Runs `bash script args…` with `environment` added to this process's own (scheduler variables removed).
    static func bash(_ script: String, _ args: [String], environment: [String: String], logDir: String) throws -> DegradeCLI.Result {
        try run("/bin/bash", [script] + args, environment: environment, logDir: logDir)
    }

    /// Runs `executable args…` with `environment` added to this process's own (scheduler variables removed).
    static func run(_ executable: String, _ args: [String], environment: [String: String], logDir: String) throws -> DegradeCLI.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLURM_") && !$0.key.hasPrefix("OMPI_") && !$0.key.hasPrefix("PMIX_") && $0.key != "JOB_COMPLETION_INDEX" }
        env.merge(environment) { $1 }
        p.environment = env
        let out = "\(logDir)/bash-\(UUID().uuidString.prefix(8))"
        _ = FileManager.default.createFile(atPath: out + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: out + ".err", contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: out + ".out")
        p.standardError = FileHandle(forWritingAtPath: out + ".err")
        try p.run()
        p.waitUntilExit()
        return DegradeCLI.Result(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
                                 stdout: (try? String(contentsOfFile: out + ".out", encoding: .utf8)) ?? "",
                                 stderr: (try? String(contentsOfFile: out + ".err", encoding: .utf8)) ?? "")
    }

    @Test func slurmArrayScriptRendersStridedShardsFromTwoMountPointsThatMergeIntoTheSingleRender() throws {
        let ref = try ReferenceRenders.clean(stills: ShardMerge.clipCount, seed: ShardMerge.seed)
        let dir = try RenderFixtures.tempDir("slurm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A second node sees the same clips under another path.
        try FileManager.default.copyItem(atPath: "\(ref.inputs)/stills", toPath: "\(dir)/other-mount")
        let script = "\(Self.tools)/render-array.sbatch"
        var common = ["DEGRADE": try DegradeCLI.executable(), "RECIPE": "\(ref.inputs)/recipe.yaml", "OUT": "\(dir)/set",
                      "SEED": "\(ShardMerge.seed)", "RENDER_OPTIONS": "--source pan --pan-frames 6 --pan-size 48x40 --jobs 1 --quiet"]
        // sbatch --array=0-4:2 → task ids 0, 2, 4.
        for id in [0, 2, 4] {
            common["INPUT"] = id == 2 ? "\(dir)/other-mount" : "\(ref.inputs)/stills"
            let env = common.merging(["SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "4",
                                      "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "3"]) { $1 }
            let r = try Self.bash(script, [], environment: env, logDir: dir)
            try #require(r.status == 0, "task \(id): \(r.stderr)")
            #expect(r.stderr.contains("shard \(id / 2 + 1)/3 from the Slurm array"), "\(r.stderr)")
            #expect(try RenderCatalog(path: "\(dir)/set.parts/task-\(id)/index.sqlite", readOnly: true).run()?.options.contains("\"index\":\(id / 2 + 1)") == true)
            if id == 2 {
                // The merge step before every shard is done is refused, naming the missing shard.
                let early = try Self.bash(script, ["merge"], environment: common, logDir: dir)
                #expect(early.status == 2 && early.stderr.contains("3/3 missing"), "\(early.stderr)")
            }
        }
        let m = try Self.bash(script, ["merge"], environment: common, logDir: dir)
        try #require(m.status == 0, "merge: \(m.stderr)")
        #expect(try RenderSnapshot("\(dir)/set") == RenderSnapshot(ref.out))
    }

    @Test func slurmArrayScriptRefusesAnArrayThatIsNotArithmetic() throws {
        let ref = try ReferenceRenders.clean(stills: ShardMerge.clipCount, seed: ShardMerge.seed)
        let dir = try RenderFixtures.tempDir("slurm-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // sbatch --array=1,3,7
        let env = ["DEGRADE": try DegradeCLI.executable(), "RECIPE": "\(ref.inputs)/recipe.yaml", "OUT": "\(dir)/set",
                   "INPUT": "\(ref.inputs)/stills", "RENDER_OPTIONS": "--source pan --pan-frames 6 --pan-size 48x40 --quiet",
                   "SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_COUNT": "3"]
        let r = try Self.bash("\(Self.tools)/render-array.sbatch", [], environment: env, logDir: dir)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("not the arithmetic sequence"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/set.parts/task-3/index.sqlite"))
    }

    @Test func kubernetesManifestIsAnIndexedJobWiredToDegradesShardMapping() throws {
        let text = try String(contentsOfFile: "\(Self.tools)/render-indexed-job.yaml", encoding: .utf8)
        let docs = try Yams.load_all(yaml: text).map { try #require($0 as? [String: Any]) }
        try #require(docs.count == 2)
        let job = docs[0]
        #expect(job["kind"] as? String == "Job")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let n = try #require(spec["completions"] as? Int)
        #expect(n > 1 && spec["parallelism"] as? Int == n)
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let env = try #require(container["env"] as? [[String: Any]])
        func variable(_ name: String) -> [String: Any]? { env.first { $0["name"] as? String == name } }
        #expect(variable("DEGRADE_SHARD_COUNT")?["value"] as? String == "\(n)")
        let index = (variable("JOB_COMPLETION_INDEX")?["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: Any]
        #expect(index?["fieldPath"] as? String == "metadata.annotations['batch.kubernetes.io/job-completion-index']")
        let args = try #require(container["args"] as? [String])
        #expect(args.first == "render" && !args.contains("--shard"))
        let out = try #require(args.firstIndex(of: "--out").map { args[$0 + 1] })
        #expect(out.hasSuffix("part-$(JOB_COMPLETION_INDEX)"))
        // The merge job reads every part from the same claim.
        let merge = try #require(docs[1]["spec"] as? [String: Any])
        let mergePod = try #require((merge["template"] as? [String: Any])?["spec"] as? [String: Any])
        let mergeArgs = try #require((mergePod["containers"] as? [[String: Any]])?.first?["args"] as? [String]).joined(separator: " ")
        let partsFolder = String(out.dropLast("part-$(JOB_COMPLETION_INDEX)".count))
        #expect(mergeArgs.contains("merge-index") && mergeArgs.contains(partsFolder + "part-*"))
        func claim(_ p: [String: Any]) -> String? {
            ((p["volumes"] as? [[String: Any]])?.first?["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String
        }
        #expect(claim(pod) != nil && claim(pod) == claim(mergePod))
    }
}
