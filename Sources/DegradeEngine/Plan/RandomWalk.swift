import DegradeRandom

/// mmedit's per-frame drift: after each frame `v += U(−step, step)`, then clip to `range` (not wrapped).
/// Returns the value for each of `count` frames, starting at `start`.
enum RandomWalk {
    static func values(start: Double, step: Double, range: ClosedRange<Double>, count: Int, rng: inout RandomStream) -> [Double] {
        var v = start
        var out: [Double] = []
        out.reserveCapacity(count)
        for t in 0..<count {
            out.append(v)
            if step > 0 && t + 1 < count {
                v = min(max(v + rng.uniform(-step, step), range.lowerBound), range.upperBound)
            }
        }
        return out
    }
}
