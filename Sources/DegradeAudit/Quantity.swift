/// One audited quantity over a set of samples: e.g. `pipeline[0].blur` `sigma_x`, or `image` `psnr`.
///
/// Values are kept grouped per sample (per clip), because only values from different clips are independent:
/// - `.clip` scope: one value per clip that has it (per-clip draws, or the first frame of a walked value);
/// - `.frame` scope: every frame's value, grouped by clip. Histograms and summaries pool all frames;
///   statistical tests use one value per clip (the clip mean for continuous quantities, the first frame's
///   label for categorical ones), since frames of one clip are strongly correlated.
public struct Quantity: Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case continuous, categorical }
    public enum Scope: String, Codable, Sendable { case clip, frame }

    /// Where in the recipe: a step location (`pipeline[5].blur`), `clip` (sample preparation, output size),
    /// `shuffle` locations, or `image` (measured on rendered frames).
    public var at: String
    public var name: String
    public var kind: Kind
    public var scope: Scope
    /// What the value means and its unit, for reports.
    public var detail: String
    /// Continuous values, one group per clip.
    public var groups: [[Double]]
    /// Categorical labels, one group per clip.
    public var labelGroups: [[String]]

    public init(at: String, name: String, kind: Kind, scope: Scope, detail: String = "") {
        self.at = at
        self.name = name
        self.kind = kind
        self.scope = scope
        self.detail = detail
        groups = []
        labelGroups = []
    }

    /// `at` and `name` joined, the identifier used in reports and comparisons.
    public var id: String { "\(at) \(name)" }

    /// Every value (all frames of all clips).
    public var values: [Double] { groups.flatMap { $0 } }
    /// Every label (all frames of all clips).
    public var labels: [String] { labelGroups.flatMap { $0 } }

    /// Number of clips contributing.
    public var clipCount: Int { kind == .continuous ? groups.count : labelGroups.count }

    /// One independent value per clip, for two-sample tests: the value itself (clip scope) or the clip mean.
    var testValues: [Double] {
        groups.compactMap { g in g.isEmpty ? nil : g.reduce(0, +) / Double(g.count) }
    }

    /// One independent label per clip, for χ² tests: the first frame's.
    var testLabels: [String] { labelGroups.compactMap(\.first) }

    public mutating func add(_ value: Double) { groups.append([value]) }
    public mutating func add(frames: [Double]) { if !frames.isEmpty { groups.append(frames) } }
    public mutating func add(label: String) { labelGroups.append([label]) }
    public mutating func add(labels: [String]) { if !labels.isEmpty { labelGroups.append(labels) } }
}

/// An ordered collection of quantities addressed by (at, name), kept in first-seen order so reports follow
/// the recipe's pipeline order.
public struct QuantitySet: Sendable, Equatable {
    public private(set) var items: [Quantity] = []
    private var index: [String: Int] = [:]

    public init() {}

    public init(_ items: [Quantity]) {
        for q in items { self[q.at, q.name, q.kind, q.scope, q.detail] = q }
    }

    /// The quantity at (at, name), if any.
    public func quantity(_ at: String, _ name: String) -> Quantity? {
        index["\(at) \(name)"].map { items[$0] }
    }

    /// Access that creates the quantity (with this kind, scope and detail) on first use.
    subscript(at: String, name: String, kind: Quantity.Kind, scope: Quantity.Scope, detail: String) -> Quantity {
        get {
            if let i = index["\(at) \(name)"] { return items[i] }
            return Quantity(at: at, name: name, kind: kind, scope: scope, detail: detail)
        }
        set {
            if let i = index["\(at) \(name)"] {
                items[i] = newValue
            } else {
                index["\(at) \(name)"] = items.count
                items.append(newValue)
            }
        }
    }

    /// The position of (at, name) in `items`, creating the quantity on first use. Callers mutate `items[i]` in
    /// place: going through the subscript's get/set would copy the quantity's arrays on every add (the old
    /// copy stays referenced by `items` during the mutation), which made an audit quadratic in its samples.
    private mutating func slot(_ at: String, _ name: String, _ kind: Quantity.Kind, _ scope: Quantity.Scope, _ detail: String) -> Int {
        let id = "\(at) \(name)"
        if let i = index[id] { return i }
        index[id] = items.count
        items.append(Quantity(at: at, name: name, kind: kind, scope: scope, detail: detail))
        return items.count - 1
    }

    /// Appends one value for a clip (clip scope).
    mutating func add(_ at: String, _ name: String, _ value: Double, _ detail: String) {
        items[slot(at, name, .continuous, .clip, detail)].add(value)
    }

    /// Appends a clip's per-frame values (frame scope).
    mutating func add(_ at: String, _ name: String, frames: [Double], _ detail: String) {
        items[slot(at, name, .continuous, .frame, detail)].add(frames: frames)
    }

    /// Appends one label for a clip (clip scope).
    mutating func add(_ at: String, _ name: String, label: String, _ detail: String) {
        items[slot(at, name, .categorical, .clip, detail)].add(label: label)
    }

    /// Appends a clip's per-frame labels (frame scope).
    mutating func add(_ at: String, _ name: String, labels: [String], _ detail: String) {
        items[slot(at, name, .categorical, .frame, detail)].add(labels: labels)
    }

    /// Adds every quantity of `other` (appending groups to existing ones).
    public mutating func merge(_ other: QuantitySet) {
        for q in other.items {
            let i = slot(q.at, q.name, q.kind, q.scope, q.detail)
            items[i].groups += q.groups
            items[i].labelGroups += q.labelGroups
        }
    }
}
