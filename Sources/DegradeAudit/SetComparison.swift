/// Quantity-by-quantity comparison of two samples of plans (or rendered frames): two-sample KS for
/// continuous quantities, χ² (or Fisher's exact test for sparse tables) for categorical ones, each on one
/// value per clip (`Quantity.testValues` / `testLabels`).
///
/// A quantity *differs* when its p-value is below `alpha / tests` — a Bonferroni correction, so the chance
/// that any quantity of two samples from one recipe is reported is at most `alpha`. A step location present
/// in only one sample (its `applied` quantity is missing from the other) also differs: the pipelines do not
/// match. Other quantities seen in only one sample (e.g. a rare kernel type's σy) are listed, not tested.
public struct SetComparison: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable {
        /// A rendered set against fresh plans of its recipe: differences are failures.
        case against
        /// Two recipes side by side: differences are information.
        case recipes
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var at: String
        public var name: String
        public var kind: Quantity.Kind
        /// Clips contributing on each side.
        var countA: Int
        var countB: Int
        /// Continuous: mean of the per-clip test values on each side.
        var meanA: Double?
        var meanB: Double?
        /// Categorical: the most frequent label on each side.
        var modeA: String?
        var modeB: String?
        /// nil when nothing could be tested (see `note`).
        public var result: TestResult?
        public var differs: Bool
        public var note: String?
    }

    public var mode: Mode
    /// Names of the two sides, e.g. the recipe and `render DIR`.
    public var labelA: String
    public var labelB: String
    /// Family-wise significance level.
    public var alpha: Double
    /// Tests run (entries with a result).
    public var tests: Int
    /// `alpha / tests`: the per-test threshold.
    var perTestAlpha: Double
    /// Entries that differ.
    public var differing: Int
    public var entries: [Entry]

    public var differingEntries: [Entry] { entries.filter(\.differs) }

    public init(_ a: QuantitySet, _ b: QuantitySet, labelA: String, labelB: String, mode: Mode, alpha: Double = 0.001) {
        self.mode = mode
        self.labelA = labelA
        self.labelB = labelB
        self.alpha = alpha
        var entries: [Entry] = []
        var ids: [(String, String)] = a.items.map { ($0.at, $0.name) }
        for q in b.items where a.quantity(q.at, q.name) == nil { ids.append((q.at, q.name)) }
        ids.sort {
            $0.0 != $1.0 ? ParameterStatistics.locationOrder($0.0, $1.0)
                : ParameterStatistics.nameRank($0.1) < ParameterStatistics.nameRank($1.1)
        }
        for (at, name) in ids {
            let qa = a.quantity(at, name), qb = b.quantity(at, name)
            let kind = (qa ?? qb)!.kind
            var e = Entry(at: at, name: name, kind: kind, countA: qa?.clipCount ?? 0, countB: qb?.clipCount ?? 0,
                          differs: false)
            if kind == .continuous {
                e.meanA = qa.flatMap { SetComparison.mean($0.testValues) }
                e.meanB = qb.flatMap { SetComparison.mean($0.testValues) }
            } else {
                e.modeA = qa.flatMap { SetComparison.mode($0.testLabels) }
                e.modeB = qb.flatMap { SetComparison.mode($0.testLabels) }
            }
            if let qa, let qb {
                e.result = kind == .continuous
                    ? StatisticalTests.kolmogorovSmirnov(qa.testValues, qb.testValues)
                    : StatisticalTests.chiSquare(qa.testLabels, qb.testLabels)
                if e.result == nil { e.note = kind == .categorical ? "a single category on both sides" : "no values" }
            } else if name == "applied" {
                e.differs = true
                e.note = "step only in \(qa == nil ? labelB : labelA)"
            } else {
                e.note = "values only in \(qa == nil ? labelB : labelA)"
            }
            entries.append(e)
        }
        tests = entries.filter { $0.result != nil }.count
        perTestAlpha = alpha / Double(max(1, tests))
        for i in entries.indices {
            if let r = entries[i].result, r.pValue < perTestAlpha { entries[i].differs = true }
        }
        self.entries = entries
        differing = entries.filter(\.differs).count
    }

    static func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }

    static func mode(_ labels: [String]) -> String? {
        var c: [String: Int] = [:]
        for l in labels { c[l, default: 0] += 1 }
        return c.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
    }
}
