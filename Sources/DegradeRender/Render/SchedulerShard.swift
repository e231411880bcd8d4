import DegradeEngine
import Foundation

/// The shard a cluster scheduler gave this process, read from its environment when `--shard` is not given, mapped
/// to degrade's 1-based `i/N`:
///
/// - Slurm job arrays: `i = (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / step + 1`, `N = SLURM_ARRAY_TASK_COUNT`,
///   `step = SLURM_ARRAY_TASK_STEP` (the `--array` stride; 1 when unset). The ids must form the arithmetic
///   sequence MIN, MIN+step, … up to MAX, of COUNT ids: a list like `--array=1,3,7` cannot be mapped and is refused.
/// - srun tasks: `i = SLURM_PROCID + 1`, `N = SLURM_NTASKS`.
/// - Kubernetes Indexed Jobs: `i = JOB_COMPLETION_INDEX + 1`; Kubernetes does not export the Job's completions,
///   so `N` comes from `--shard-count` or `DEGRADE_SHARD_COUNT`.
/// - Open MPI: `i = OMPI_COMM_WORLD_RANK + 1`, `N = OMPI_COMM_WORLD_SIZE`.
///
/// A scheduler that names a single shard (N = 1) does not count. Two schedulers naming different splits are refused
/// rather than guessed between.
public struct SchedulerShard: Sendable, Equatable {
    public var index: Int
    public var count: Int
    /// Which scheduler and variables gave it, for the note the commands print.
    public var origin: String

    public init(index: Int, count: Int, origin: String) {
        self.index = index
        self.count = count
        self.origin = origin
    }

    /// The shard `environment` names, or nil when it names none (or only 1/1).
    /// - Parameter count: `--shard-count`, the N of a Kubernetes Indexed Job.
    /// - Throws: `InputError` for an inconsistent environment (non-numeric or out-of-range values, a
    ///   non-arithmetic Slurm array, an index without a count, two different splits).
    public static func resolve(_ environment: [String: String], count: Int? = nil) throws -> SchedulerShard? {
        let found = try [slurmArray(environment), srun(environment), kubernetes(environment, count: count), openMPI(environment)]
            .compactMap { $0 }.filter { $0.count > 1 }
        guard let first = found.first else { return nil }
        if found.count > 1 {
            throw InputError("the environment names more than one shard: " + found.map { "\($0.index)/\($0.count) from \($0.origin)" }.joined(separator: "; ")
                             + ". Pass --shard I/N to choose")
        }
        return first
    }

    private static func integer(_ env: [String: String], _ name: String) throws -> Int? {
        guard let text = env[name] else { return nil }
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw InputError("\(name)=\(text): expected an integer")
        }
        return v
    }

    private static func required(_ env: [String: String], _ name: String, for what: String) throws -> Int {
        guard let v = try integer(env, name) else { throw InputError("\(what) is set but \(name) is not; pass --shard I/N") }
        return v
    }

    static func slurmArray(_ env: [String: String]) throws -> SchedulerShard? {
        guard let id = try integer(env, "SLURM_ARRAY_TASK_ID") else { return nil }
        let what = "SLURM_ARRAY_TASK_ID"
        let low = try required(env, "SLURM_ARRAY_TASK_MIN", for: what)
        let high = try required(env, "SLURM_ARRAY_TASK_MAX", for: what)
        let count = try required(env, "SLURM_ARRAY_TASK_COUNT", for: what)
        let step = try integer(env, "SLURM_ARRAY_TASK_STEP") ?? 1
        let ids = "ids \(low)…\(high) step \(step)"
        guard step >= 1 else { throw InputError("SLURM_ARRAY_TASK_STEP=\(step): expected a stride of 1 or more") }
        guard low >= 0, high >= low, count >= 1 else {
            throw InputError("Slurm array MIN \(low), MAX \(high), COUNT \(count): expected 0 ≤ MIN ≤ MAX and COUNT ≥ 1")
        }
        // MAX may be the range's end (`1-9:3` → 9) or its last id (7): both give COUNT ids.
        guard (high - low) / step + 1 == count else {
            throw InputError("the Slurm array (\(ids), SLURM_ARRAY_TASK_COUNT=\(count)) is not the arithmetic sequence MIN, MIN+step, …, MAX, so its task ids cannot be numbered as shards; submit it as --array=A-B or --array=A-B:S, or pass --shard I/N")
        }
        guard id >= low, id <= high, (id - low) % step == 0 else {
            throw InputError("SLURM_ARRAY_TASK_ID=\(id) is not one of the array's \(ids)")
        }
        return SchedulerShard(index: (id - low) / step + 1, count: count,
                              origin: "the Slurm array (SLURM_ARRAY_TASK_ID=\(id), \(ids), \(count) tasks)")
    }

    static func srun(_ env: [String: String]) throws -> SchedulerShard? {
        guard let rank = try integer(env, "SLURM_PROCID") else { return nil }
        guard let size = try integer(env, "SLURM_NTASKS") else { return nil }  // a bare batch step: one task
        guard size >= 1, (0..<size).contains(rank) else {
            throw InputError("SLURM_PROCID=\(rank) with SLURM_NTASKS=\(size): expected 0 ≤ SLURM_PROCID < SLURM_NTASKS")
        }
        return SchedulerShard(index: rank + 1, count: size, origin: "srun (SLURM_PROCID=\(rank), SLURM_NTASKS=\(size))")
    }

    static func kubernetes(_ env: [String: String], count flag: Int?) throws -> SchedulerShard? {
        guard let index = try integer(env, "JOB_COMPLETION_INDEX") else { return nil }
        let fromEnv = try integer(env, "DEGRADE_SHARD_COUNT")
        guard let count = flag ?? fromEnv else {
            throw InputError("JOB_COMPLETION_INDEX=\(index) is set but not the number of shards: pass --shard-count N or set DEGRADE_SHARD_COUNT to the Job's completions")
        }
        let named = flag != nil ? "--shard-count \(count)" : "DEGRADE_SHARD_COUNT=\(count)"
        guard count >= 1, (0..<count).contains(index) else {
            throw InputError("JOB_COMPLETION_INDEX=\(index) with \(named): expected 0 ≤ index < count")
        }
        return SchedulerShard(index: index + 1, count: count,
                              origin: "the Kubernetes Indexed Job (JOB_COMPLETION_INDEX=\(index), \(named))")
    }

    static func openMPI(_ env: [String: String]) throws -> SchedulerShard? {
        guard let rank = try integer(env, "OMPI_COMM_WORLD_RANK") else { return nil }
        let size = try required(env, "OMPI_COMM_WORLD_SIZE", for: "OMPI_COMM_WORLD_RANK")
        guard size >= 1, (0..<size).contains(rank) else {
            throw InputError("OMPI_COMM_WORLD_RANK=\(rank) with OMPI_COMM_WORLD_SIZE=\(size): expected 0 ≤ rank < size")
        }
        return SchedulerShard(index: rank + 1, count: size,
                              origin: "Open MPI (OMPI_COMM_WORLD_RANK=\(rank), OMPI_COMM_WORLD_SIZE=\(size))")
    }
}
