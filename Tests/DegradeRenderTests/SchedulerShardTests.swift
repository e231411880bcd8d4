import DegradeEngine
import Testing
@testable import DegradeRender

/// The shard each scheduler's environment names, as degrade's 1-based i/N.
@Suite struct SchedulerShardMapping {
    func slurm(id: Int, min: Int, max: Int, count: Int, step: Int? = nil) -> [String: String] {
        var e = ["SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_MIN": "\(min)", "SLURM_ARRAY_TASK_MAX": "\(max)",
                 "SLURM_ARRAY_TASK_COUNT": "\(count)", "SLURM_NTASKS": "1", "SLURM_PROCID": "0"]
        if let step { e["SLURM_ARRAY_TASK_STEP"] = "\(step)" }
        return e
    }

    func shard(_ env: [String: String], count: Int? = nil) throws -> (Int, Int)? {
        try SchedulerShard.resolve(env, count: count).map { ($0.index, $0.count) }
    }

    @Test func noSchedulerMeansNoShard() throws {
        #expect(try shard([:]) == nil)
        #expect(try shard(["PATH": "/bin", "SLURM_PROCID": "0", "SLURM_NTASKS": "1"]) == nil)
    }

    @Test func slurmArraysStartingAtZeroAndAtOne() throws {
        // --array=0-3: ids 0…3 are shards 1…4.
        #expect(try (0...3).map { try shard(slurm(id: $0, min: 0, max: 3, count: 4))! }.map(\.0) == [1, 2, 3, 4])
        #expect(try shard(slurm(id: 2, min: 0, max: 3, count: 4))! == (3, 4))
        // --array=1-4: ids 1…4 are shards 1…4.
        #expect(try (1...4).map { try shard(slurm(id: $0, min: 1, max: 4, count: 4))! }.map(\.0) == [1, 2, 3, 4])
        // --array=5-7 (offset): id 5 is shard 1/3.
        #expect(try shard(slurm(id: 5, min: 5, max: 7, count: 3))! == (1, 3))
    }

    @Test func slurmArrayWithAStride() throws {
        // --array=0-12:4 → ids 0 4 8 12.
        #expect(try [0, 4, 8, 12].map { try shard(slurm(id: $0, min: 0, max: 12, count: 4, step: 4))!.0 } == [1, 2, 3, 4])
        #expect(try shard(slurm(id: 7, min: 1, max: 9, count: 3, step: 3))! == (3, 3))
    }

    @Test func slurmArraysThatAreNotArithmeticAreRefused() throws {
        // --array=1,3,7: MIN 1, MAX 7, COUNT 3, no stride.
        let e = #expect(throws: InputError.self) { try shard(slurm(id: 3, min: 1, max: 7, count: 3)) }
        #expect(e?.description.contains("not the arithmetic sequence") == true)
        #expect(e?.description.contains("--shard") == true)
        // An id off the stride, a stride of 0, text where a number belongs.
        #expect(throws: InputError.self) { try shard(slurm(id: 2, min: 0, max: 8, count: 3, step: 4)) }
        #expect(throws: InputError.self) { try shard(slurm(id: 0, min: 0, max: 8, count: 3, step: 0)) }
        var bad = slurm(id: 1, min: 1, max: 4, count: 4)
        bad["SLURM_ARRAY_TASK_COUNT"] = "four"
        let text = #expect(throws: InputError.self) { try shard(bad) }
        #expect(text?.description.contains("SLURM_ARRAY_TASK_COUNT=four") == true)
        bad = slurm(id: 1, min: 1, max: 4, count: 4)
        bad["SLURM_ARRAY_TASK_MIN"] = nil
        #expect(throws: InputError.self) { try shard(bad) }
    }

    @Test func srunTasks() throws {
        #expect(try shard(["SLURM_PROCID": "0", "SLURM_NTASKS": "3"])! == (1, 3))
        #expect(try shard(["SLURM_PROCID": "2", "SLURM_NTASKS": "3"])! == (3, 3))
        #expect(throws: InputError.self) { try shard(["SLURM_PROCID": "3", "SLURM_NTASKS": "3"]) }
    }

    @Test func kubernetesIndexedJobsTakeTheCountFromAFlagOrTheEnvironment() throws {
        #expect(try shard(["JOB_COMPLETION_INDEX": "0", "DEGRADE_SHARD_COUNT": "4"])! == (1, 4))
        #expect(try shard(["JOB_COMPLETION_INDEX": "3", "DEGRADE_SHARD_COUNT": "4"])! == (4, 4))
        #expect(try shard(["JOB_COMPLETION_INDEX": "3"], count: 5)! == (4, 5))
        #expect(try shard(["JOB_COMPLETION_INDEX": "3", "DEGRADE_SHARD_COUNT": "9"], count: 5)! == (4, 5))  // the flag wins
        let missing = #expect(throws: InputError.self) { try shard(["JOB_COMPLETION_INDEX": "1"]) }
        #expect(missing?.description.contains("--shard-count") == true)
        #expect(throws: InputError.self) { try shard(["JOB_COMPLETION_INDEX": "4", "DEGRADE_SHARD_COUNT": "4"]) }
    }

    @Test func openMPIRanks() throws {
        #expect(try shard(["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "2"])! == (1, 2))
        #expect(try shard(["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2"])! == (2, 2))
        #expect(throws: InputError.self) { try shard(["OMPI_COMM_WORLD_RANK": "2", "OMPI_COMM_WORLD_SIZE": "2"]) }
    }

    @Test func twoSchedulersNamingDifferentSplitsAreRefused() throws {
        var e = slurm(id: 1, min: 1, max: 4, count: 4)
        e["OMPI_COMM_WORLD_RANK"] = "1"
        e["OMPI_COMM_WORLD_SIZE"] = "2"
        let error = #expect(throws: InputError.self) { try shard(e) }
        #expect(error?.description.contains("Slurm") == true && error?.description.contains("Open MPI") == true)
        // The origin is named for the note the commands print.
        #expect(try SchedulerShard.resolve(slurm(id: 4, min: 0, max: 8, count: 3, step: 4))?.origin.contains("SLURM_ARRAY_TASK_ID=4") == true)
    }
}
