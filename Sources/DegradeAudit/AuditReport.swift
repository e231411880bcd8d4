import DegradeEngine
import DegradeMedia
import Foundation

/// Everything an audit found, written as `report.json` (this structure, keys sorted) and rendered as
/// `report.html`.
///
/// Fields:
/// - `tool`: the degrade version; `seed`: the seed of the fresh plans; `samples`: plans drawn per recipe;
///   `alpha`: family-wise significance level of the comparisons.
/// - `recipe`, `recipe2`: name, file and hash of the audited recipe(s).
/// - `catalog`: the rendered set checked with `--against` (its recorded recipe, hash, seed, clip count).
/// - `parameters`: parameter statistics; the first section is `recipe`, the second (if any) `recipe2` or the
///   rendered set. Each lists every step location's application counts and every quantity's summary
///   (`QuantitySummary`: clips, count, mean, std, min, p5, median, p95, max or label fractions, histogram).
///   Histograms of the same quantity share their bins across sections.
/// - `images`: image statistics of rendered clips (`ImageStatistics` documents each quantity).
/// - `comparison`, `imageComparison`: the two-sample tests (`SetComparison`).
/// - `warnings`: problems a reader must see (e.g. a recipe hash that differs from the catalog's).
/// - `passed`: false when a comparison against a rendered set found a difference.
public struct AuditReport: Codable, Sendable {
    public struct RecipeInfo: Codable, Sendable, Equatable {
        public var name: String
        public var file: String
        public var hash: String

        public init(_ r: Recipe) {
            name = r.name
            file = r.file
            hash = r.hash
        }
    }

    public struct CatalogInfo: Codable, Sendable, Equatable {
        public var path: String
        public var recipeName: String
        public var recipeHash: String
        /// Whether `recipeHash` equals the hash of the recipe given to the audit.
        public var recipeHashMatches: Bool
        public var seed: UInt64
        public var toolVersion: String
        public var clips: Int
        /// `--frames` the set was rendered with, if it overrode the recipe.
        var framesOverride: Int?
    }

    public struct StepSummary: Codable, Sendable, Equatable {
        public var at: String
        public var op: String
        public var planned: Int
        public var applied: Int
        /// applied / planned.
        public var rate: Double
    }

    public struct ParameterSection: Codable, Sendable {
        /// What the plans are: a recipe name, or `render <dir>`.
        public var label: String
        public var plans: Int
        public var steps: [StepSummary]
        public var quantities: [QuantitySummary]
    }

    public struct ImageSection: Codable, Sendable {
        public var label: String
        /// Clips rendered and measured.
        public var clips: Int
        public var quantities: [QuantitySummary]
    }

    public var tool: String
    public var seed: UInt64
    public var samples: Int
    public var alpha: Double
    public var recipe: RecipeInfo
    public var recipe2: RecipeInfo?
    public var catalog: CatalogInfo?
    public var parameters: [ParameterSection]
    public var images: [ImageSection]
    public var comparison: SetComparison?
    var imageComparison: SetComparison?
    public var warnings: [String]
    public var passed: Bool

    /// Summaries of one or two quantity sets, in recipe order, with shared bins for quantities present in both.
    static func summaries(_ a: QuantitySet, _ b: QuantitySet?) -> ([QuantitySummary], [QuantitySummary]) {
        func ordered(_ s: QuantitySet) -> [Quantity] {
            s.items.enumerated().sorted { x, y in
                if x.element.at != y.element.at { return ParameterStatistics.locationOrder(x.element.at, y.element.at) }
                let rx = ParameterStatistics.nameRank(x.element.name), ry = ParameterStatistics.nameRank(y.element.name)
                return rx != ry ? rx < ry : x.offset < y.offset
            }.map(\.element)
        }
        func summarise(_ q: Quantity, other: Quantity?) -> QuantitySummary {
            guard let other, other.kind == q.kind else { return QuantitySummary(q) }
            switch q.kind {
            case .continuous:
                let all = (q.values + other.values).filter(\.isFinite)
                guard let lo = all.min(), let hi = all.max() else { return QuantitySummary(q) }
                return QuantitySummary(q, histogram: .continuous(q.values, range: lo...hi))
            case .categorical:
                let bars = Histogram.categorical(q.labels + other.labels).labels
                return QuantitySummary(q, histogram: .categorical(q.labels, order: bars))
            }
        }
        let sa = ordered(a).map { summarise($0, other: b?.quantity($0.at, $0.name)) }
        let sb = b.map { bs in ordered(bs).map { summarise($0, other: a.quantity($0.at, $0.name)) } } ?? []
        return (sa, sb)
    }

    static func steps(_ p: ParameterStatistics) -> [StepSummary] {
        p.steps.map { StepSummary(at: $0.at, op: $0.op, planned: $0.planned, applied: $0.applied, rate: $0.rate) }
    }

    /// `report.json` bytes: keys sorted, pretty-printed; non-finite numbers as strings ("inf", "nan").
    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try e.encode(self)
    }

    /// Writes `report.json` and `report.html` into `dir` (created if needed), each atomically.
    public func write(to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try AtomicFile.write(try json(), to: "\(dir)/report.json")
        try AtomicFile.write(Array(ReportPage.html(self).utf8), to: "\(dir)/report.html")
    }
}
