import DegradeEngine
import Foundation

/// Statistics of the parameters in a set of plans — no pixels, so thousands of plans take seconds.
///
/// For every step location (`step.at`) it records how often the step was planned and applied, and for
/// applied steps the parameters the plan describes (`PlanStep.parameters(frame:)`, those marked `audited`):
/// - categorical values (kernel family and size, resize mode and interpolation, noise type and gray flag, codec)
///   and numbers that do not walk (bitrate / CRF) are one value per clip; a size is recorded as
///   `<name>_width` and `<name>_height` of frame 0;
/// - walked values (σx, σy, θ, β, ω, motion length and angle, resize scale, noise σ and Poisson scale, JPEG
///   quality) are recorded at their first frame — the per-clip draw from the recipe's range — as clip-scope
///   quantities, and their drift as `<name>_drift`: every |v[t+1] − v[t]| (frame scope: histograms pool all
///   frames, tests use each clip's mean |Δv|);
/// - the application gate is `applied`, a shuffle's drawn entry order `order`;
/// - `clip` holds sample-level values: frame count, GT and LQ size of frame 0, flips.
public struct ParameterStatistics: Sendable, Equatable {
    /// One step location: how often it was planned and applied.
    public struct StepCount: Codable, Sendable, Equatable {
        public var at: String
        public var op: String
        public var planned: Int
        public var applied: Int
        /// applied / planned.
        public var rate: Double { planned > 0 ? Double(applied) / Double(planned) : 0 }
    }

    public var plans: Int = 0
    /// Step locations in pipeline order.
    public var steps: [StepCount] { stepCounts.sorted { ParameterStatistics.locationOrder($0.at, $1.at) } }
    public var quantities = QuantitySet()
    private var stepCounts: [StepCount] = []
    private var stepIndex: [String: Int] = [:]

    public init() {}

    public init(plans: [DegradationPlan]) {
        for plan in plans { add(plan) }
    }

    /// Statistics of `count` plans made one at a time by `plan(i)` and dropped once counted, so memory grows with
    /// the recorded values only, not with whole plans.
    public init(count: Int, plan makePlan: (Int) throws -> DegradationPlan) rethrows {
        for i in 0..<count { add(try makePlan(i)) }
    }

    /// Counts one more plan.
    public mutating func add(_ plan: DegradationPlan) {
        plans += 1
        ParameterStatistics.addClip(plan, to: &quantities)
        for step in plan.steps {
            if let i = stepIndex[step.at] {
                stepCounts[i].planned += 1
                if step.applied { stepCounts[i].applied += 1 }
            } else {
                stepIndex[step.at] = stepCounts.count
                stepCounts.append(StepCount(at: step.at, op: step.name, planned: 1, applied: step.applied ? 1 : 0))
            }
            quantities.add(step.at, "applied", label: step.applied ? "applied" : "skipped", "whether the probability gate let the step run")
            guard step.applied else { continue }
            ParameterStatistics.add(step, frames: plan.frameCount, to: &quantities)
        }
        for s in plan.shuffles {
            quantities.add(s.at, "order", label: s.order.map(String.init).joined(separator: ","), "entry order drawn for the shuffle")
        }
    }

    public func step(_ at: String) -> StepCount? { steps.first { $0.at == at } }

    /// `applied / planned` of a step location, nil if it never appeared.
    func applicationRate(_ at: String) -> Double? { step(at)?.rate }

    public func quantity(_ at: String, _ name: String) -> Quantity? { quantities.quantity(at, name) }

    static func addClip(_ plan: DegradationPlan, to q: inout QuantitySet) {
        q.add("clip", "frames", Double(plan.frameCount), "frames per sample (after mirroring)")
        q.add("clip", "gt_width", Double(plan.gtSize.width), "GT width, px")
        q.add("clip", "gt_height", Double(plan.gtSize.height), "GT height, px")
        if let lq = plan.lqSizes.first {
            q.add("clip", "lq_width", Double(lq.width), "LQ width of frame 0, px")
            q.add("clip", "lq_height", Double(lq.height), "LQ height of frame 0, px")
        }
        q.add("clip", "hflip", label: plan.hflip ? "yes" : "no", "horizontal flip")
        q.add("clip", "vflip", label: plan.vflip ? "yes" : "no", "vertical flip")
        q.add("clip", "transpose", label: plan.transpose ? "yes" : "no", "transpose")
    }

    /// A walked value: its first frame (clip scope) and its per-frame drift magnitudes (frame scope).
    static func addWalk(_ at: String, _ name: String, _ values: [Double], _ detail: String, to q: inout QuantitySet) {
        guard let first = values.first else { return }
        q.add(at, name, first, detail + " (first frame)")
        if values.count > 1 {
            let drift = zip(values.dropFirst(), values).map { abs($0 - $1) }
            q.add(at, name + "_drift", frames: drift, "|Δ\(name)| between consecutive frames")
        }
    }

    static func add(_ step: PlanStep, frames: Int, to q: inout QuantitySet) {
        let at = step.at
        let first = step.parameters(frame: 0).filter(\.audited)
        // Walked values over every frame, for their drift.
        var series: [String: [Double]] = [:]
        if frames > 1, first.contains(where: \.walks) {
            for t in 0..<frames {
                for p in step.parameters(frame: t) where p.walks && p.audited {
                    if let v = number(p.value) { series[p.name, default: []].append(v) }
                }
            }
        }
        for p in first {
            switch p.value {
            case .choice(let label): q.add(at, p.name, label: label, p.meaning)
            case .number, .integer:
                if let values = series[p.name] {
                    addWalk(at, p.name, values, p.meaning, to: &q)
                } else if let v = number(p.value) {
                    q.add(at, p.name, v, p.walks ? p.meaning + " (first frame)" : p.meaning)
                }
            case .size(let s):
                q.add(at, p.name + "_width", Double(s.width), p.meaning + " width of frame 0, px")
                q.add(at, p.name + "_height", Double(s.height), p.meaning + " height of frame 0, px")
            case .numbers: break
            }
        }
    }

    static func number(_ value: ParameterValue) -> Double? {
        switch value {
        case .number(let v): v
        case .integer(let i): Double(i)
        case .choice, .size, .numbers: nil
        }
    }

    /// Report order of quantity names within one location; a walked value's drift follows it, unknown names
    /// come last in first-seen order.
    static let nameOrder = ["applied", "frames", "gt_width", "gt_height", "lq_width", "lq_height", "hflip", "vflip", "transpose",
                            "kernel", "kernel_size", "sigma_x", "sigma_y", "theta", "beta", "omega", "length", "angle",
                            "interpolation", "mode", "scale", "out_width", "out_height",
                            "noise", "gaussian_gray", "sigma", "poisson_gray", "poisson_scale", "correlated_sigma",
                            "quality", "codec", "bitrate", "crf", "bpp", "order"]

    static func nameRank(_ name: String) -> Double {
        let base = name.hasSuffix("_drift") ? String(name.dropLast(6)) : name
        guard let i = nameOrder.firstIndex(of: base) else { return Double(nameOrder.count) }
        return Double(i) + (base == name ? 0 : 0.5)
    }

    /// Orders recipe locations numerically: `pipeline[2]` before `pipeline[10]`, `clip` first.
    static func locationOrder(_ a: String, _ b: String) -> Bool {
        func parts(_ s: String) -> [Int] {
            var out: [Int] = []
            var n: Int?
            for ch in s {
                if let d = ch.wholeNumberValue, ch.isASCII {
                    n = (n ?? 0) * 10 + d
                } else if let v = n {
                    out.append(v)
                    n = nil
                }
            }
            if let n { out.append(n) }
            return out
        }
        let pa = parts(a), pb = parts(b)
        if pa != pb { return pa.lexicographicallyPrecedes(pb) }
        return a < b
    }
}
