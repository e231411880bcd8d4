import ArgumentParser
import DegradeRender
import Foundation

/// `--shard I/N`, or the shard a cluster scheduler's environment names (`SchedulerShard`); shared by render,
/// preview and audit.
struct ShardOptions: ParsableArguments {
    @Option(name: .long, help: "Do only shard I of N (I/N, 1-based), for splitting across machines. Default: the shard a Slurm array, srun, Kubernetes Indexed Job or mpirun environment names, else 1/1.")
    var shard: ShardOption?

    @Option(name: .customLong("shard-count"), help: "N for a Kubernetes Indexed Job (its completions; JOB_COMPLETION_INDEX gives I). Default: $DEGRADE_SHARD_COUNT.")
    var shardCount: Int?

    func validate() throws {
        if let shardCount, !(1...1_000_000).contains(shardCount) { throw ValidationError("--shard-count must be within 1…1000000") }
    }

    /// The shard to do; says on stderr when it came from the environment.
    func resolve(quiet: Bool = false) throws -> ShardOption {
        if let shard { return shard }
        guard let found = try SchedulerShard.resolve(ProcessInfo.processInfo.environment, count: shardCount) else {
            return ShardOption(index: 1, count: 1)
        }
        if !quiet { Console.note("shard \(found.index)/\(found.count) from \(found.origin)") }
        return ShardOption(index: found.index, count: found.count)
    }
}
