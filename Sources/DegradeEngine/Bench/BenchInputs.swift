import DegradeMedia
import DegradeOps

/// Makes a sample's source frames as `SampleMaker.loadFrames` delivers them (only the crop window when the recipe
/// crops), on demand, from the source — a pan clip's photo is decoded each time, as render does — so a benchmark
/// phase holds no inputs beyond the samples in flight.
struct BenchInputs: Sendable {
    let source: any ClipSource
    let clip: ClipInfo

    /// The plan's source frames, and what making them cost.
    func frames(for plan: DegradationPlan) throws -> ([Image], BenchCaseResult.Timing) {
        try Self.timed { try SampleMaker.loadFrames(for: plan, from: source) }
    }

    /// Input cost apart: decoding a pan clip's photo, then rendering the plan's frames from it (for other sources,
    /// all of the loading counts as decoding).
    func measure(_ plan: DegradationPlan) throws -> (decode: BenchCaseResult.Timing, render: BenchCaseResult.Timing, bytes: Int) {
        guard let pans = source as? PanSource else {
            let (frames, t) = try frames(for: plan)
            return (t, .init(), frames.reduce(0) { $0 + $1.pixels.count * 4 })
        }
        let still = String(clip.key.dropLast(PanSource.keySuffix.count))
        let (photo, decode) = try Self.timed { try pans.stills.photo(still).image }
        let first = plan.sourceFrames.min() ?? 0, last = plan.sourceFrames.max() ?? 0
        let (frames, render) = try Self.timed {
            pans.move(for: clip.key).render(photo, range: first..<(last + 1), region: plan.sourceRegion)
        }
        return (decode, render, frames.reduce(0) { $0 + $1.pixels.count * 4 })
    }

    static func timed<T>(_ body: () throws -> T) throws -> (T, BenchCaseResult.Timing) {
        let w0 = ThreadClock.wallSeconds(), c0 = ThreadClock.cpuSeconds()
        let value = try body()
        return (value, .init(wallMs: (ThreadClock.wallSeconds() - w0) * 1000, cpuMs: (ThreadClock.cpuSeconds() - c0) * 1000))
    }
}
