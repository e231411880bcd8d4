import Foundation

/// Bin counts of a sample, for reports: equal-width bins over [lower, upper] for continuous values, or
/// per-label counts for categorical ones.
public struct Histogram: Codable, Sendable, Equatable {
    /// Bin edges (`counts.count + 1` of them) for continuous values; empty for categorical ones.
    public var edges: [Double]
    /// Category names for categorical values (the most frequent first, the rest pooled as "other"); empty
    /// for continuous ones.
    public var labels: [String]
    public var counts: [Int]

    public var total: Int { counts.reduce(0, +) }

    /// Equal-width bins over `range` (default: the values' own range). Integer-valued data spanning at most
    /// `bins` values gets one bin per integer, so discrete values such as JPEG qualities are not aliased.
    public static func continuous(_ values: [Double], bins: Int = 24, range: ClosedRange<Double>? = nil) -> Histogram {
        let finite = values.filter(\.isFinite)
        guard let lo0 = range?.lowerBound ?? finite.min(), let hi0 = range?.upperBound ?? finite.max() else {
            return Histogram(edges: [], labels: [], counts: [])
        }
        var lo = lo0, hi = hi0
        var n = max(1, bins)
        let integral = finite.allSatisfy { $0 == $0.rounded() } && lo == lo.rounded() && hi == hi.rounded()
        if integral && hi - lo + 1 <= Double(n) {
            n = Int(hi - lo) + 1
            lo -= 0.5
            hi += 0.5
        } else if hi <= lo {
            lo -= 0.5
            hi += 0.5
            n = 1
        }
        let width = (hi - lo) / Double(n)
        var counts = [Int](repeating: 0, count: n)
        for v in finite where v >= lo && v <= hi {
            counts[min(n - 1, max(0, Int((v - lo) / width)))] += 1
        }
        return Histogram(edges: (0...n).map { lo + Double($0) * width }, labels: [], counts: counts)
    }

    /// Per-label counts, most frequent first (numeric labels such as kernel sizes in numeric order); beyond `maxBars` categories the rarest are pooled as "other".
    /// With `order` (e.g. the bars of another sample's histogram, so two histograms share their bars) the bars
    /// are exactly `order`, and labels not in it are counted under "other" (added if missing).
    public static func categorical(_ labels: [String], order: [String]? = nil, maxBars: Int = 12) -> Histogram {
        var counts: [String: Int] = [:]
        for l in labels { counts[l, default: 0] += 1 }
        if let order {
            let known = Set(order.filter { $0 != "other" })
            let other = labels.filter { !known.contains($0) }.count
            var keys = order
            if other > 0 && !keys.contains("other") { keys.append("other") }
            return Histogram(edges: [], labels: keys, counts: keys.map { $0 == "other" && !known.contains($0) ? other : counts[$0] ?? 0 })
        }
        var keys = counts.keys.sorted { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : Histogram.labelOrder($0, $1) }
        if keys.count <= maxBars && keys.allSatisfy({ Double($0) != nil }) { keys.sort(by: Histogram.labelOrder) }
        if keys.count > maxBars {
            let kept = Array(keys.prefix(maxBars - 1))
            let other = keys.dropFirst(maxBars - 1).reduce(0) { $0 + (counts[$1] ?? 0) }
            return Histogram(edges: [], labels: kept + ["other"], counts: kept.map { counts[$0] ?? 0 } + [other])
        }
        return Histogram(edges: [], labels: keys, counts: keys.map { counts[$0] ?? 0 })
    }

    /// Numeric labels in numeric order ("7" < "11"), others alphabetically.
    static func labelOrder(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x < y }
        return a < b
    }
}

/// Descriptive statistics of one quantity, as stored in `report.json`.
public struct QuantitySummary: Codable, Sendable, Equatable {
    public var at: String
    public var name: String
    public var kind: Quantity.Kind
    public var scope: Quantity.Scope
    public var detail: String
    /// Clips that have the quantity.
    public var clips: Int
    /// Values summarised (clips, or frames for frame-scope quantities).
    public var count: Int
    /// Continuous only: mean, standard deviation and quantiles (linear interpolation) of all values.
    public var mean: Double?
    public var std: Double?
    public var min: Double?
    var p5: Double?
    var median: Double?
    var p95: Double?
    public var max: Double?
    /// Categorical only: fraction of values per label.
    public var fractions: [String: Double]?
    public var histogram: Histogram

    public init(_ q: Quantity, histogram: Histogram? = nil) {
        at = q.at
        name = q.name
        kind = q.kind
        scope = q.scope
        detail = q.detail
        clips = q.clipCount
        switch q.kind {
        case .continuous:
            let v = q.values.filter(\.isFinite).sorted()
            count = v.count
            if !v.isEmpty {
                let m = v.reduce(0, +) / Double(v.count)
                mean = m
                std = v.count > 1 ? (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot() : 0
                self.min = v.first
                self.max = v.last
                p5 = QuantitySummary.quantile(v, 0.05)
                median = QuantitySummary.quantile(v, 0.5)
                p95 = QuantitySummary.quantile(v, 0.95)
            }
            self.histogram = histogram ?? .continuous(v)
        case .categorical:
            let l = q.labels
            count = l.count
            var f: [String: Double] = [:]
            for x in l { f[x, default: 0] += 1 }
            fractions = f.mapValues { $0 / Double(Swift.max(1, l.count)) }
            self.histogram = histogram ?? .categorical(l)
        }
    }

    /// Quantile of sorted values, linear interpolation between order statistics (numpy's default).
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * p
        let i = Int(h.rounded(.down))
        let f = h - Double(i)
        return i + 1 < sorted.count ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i]
    }

    /// The most frequent label and its fraction.
    public var mode: (label: String, fraction: Double)? {
        guard let f = fractions, let best = f.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }) else { return nil }
        return (best.key, best.value)
    }
}
