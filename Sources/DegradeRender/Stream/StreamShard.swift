import DegradeEngine
import DegradeRandom

/// How the indices of one epoch are split between `parts` consumers (DataLoader workers × ranks, or training
/// processes): a pure function of (seed, epoch, count, part, parts), so every process computes its own share
/// without talking to the others. The epoch's indices are put in a seeded order and part p takes every
/// `parts`-th one from position p: the shares are disjoint, together they cover 0..<count, and their sizes
/// differ by at most one.
public enum StreamShard {
    public static func indices(count: Int, seed: UInt64, epoch: Int, part: Int, parts: Int) throws -> [Int] {
        guard count >= 0 else { throw InputError("shard: count must be ≥ 0, got \(count)") }
        guard parts >= 1 else { throw InputError("shard: parts must be ≥ 1, got \(parts)") }
        guard (0..<parts).contains(part) else { throw InputError("shard: part must be in 0..<\(parts), got \(part)") }
        var rng = RandomStream(seed: seed, clip: "epoch-\(epoch)", stream: "stream-shard")
        let order = rng.permutation(count)
        return stride(from: part, to: count, by: parts).map { order[$0] }
    }
}
