import Yams

/// Typed, validating access to one mapping of a recipe or train config. Every read records the key, so `finish()` can
/// report keys nobody asked for (typos such as `sigma_X`) instead of silently ignoring them.
/// Recipes are data: values are only ever read as numbers, strings, booleans and lists, never evaluated.
public final class ConfigNode {
    public let file: String
    public let path: String
    public let node: Node
    private var pairs: [(key: String, value: Node, line: Int?)] = []
    private var used: Set<String> = []
    /// Keys written under a reference's name (`rotate_angle` for `rotation`): errors name them as written.
    private var written: [String: String] = [:]

    public init(_ node: Node, path: String, file: String) throws {
        self.node = node
        self.path = path
        self.file = file
        guard case let .mapping(mapping) = node else {
            throw RecipeError(file: file, line: node.mark?.line, key: path, message: "expected a mapping of keys to values, got \(ConfigNode.kind(node))")
        }
        for (k, v) in mapping {
            guard let name = k.string else {
                throw RecipeError(file: file, line: k.mark?.line, key: path, message: "keys must be plain names")
            }
            pairs.append((name, v, k.mark?.line))
        }
    }

    /// How a key is read, for `KeyLog`.
    public enum ReadKind: String, Sendable { case number, integer, range, numbers, flag, name, names, section }

    /// Every typed read of a key while a task-local log is set: tests use it to enumerate the keys a parser accepts
    /// (e.g. to feed extreme numbers into each numeric key) without a hand-kept list that could fall behind.
    final class KeyLog: @unchecked Sendable {
        public private(set) var reads: [(path: String, kind: ReadKind)] = []
        public init() {}
        func append(_ path: String, _ kind: ReadKind) { reads.append((path, kind)) }
    }
    @TaskLocal static var keyLog: KeyLog?

    private func record(_ key: String, _ kind: ReadKind) { ConfigNode.keyLog?.append(keyPath(key), kind) }

    public var line: Int? { node.mark?.line }
    public var keys: [String] { pairs.map(\.key) }

    public func error(_ key: String, _ message: String, allowed: String? = nil) -> RecipeError {
        RecipeError(file: file, line: value(key)?.mark?.line ?? pairs.first { $0.key == key }?.line ?? line,
                    key: keyPath(key), message: message, allowed: allowed)
    }

    func keyPath(_ key: String) -> String {
        let k = written[key] ?? key
        return path.isEmpty ? k : "\(path).\(k)"
    }

    /// Accepts `alias` (a reference's key name) for `name`: the pair is read as `name` from then on. Both written
    /// at once is an error naming both, since one would silently win.
    public func alias(_ alias: String, for name: String) throws {
        guard let i = pairs.firstIndex(where: { $0.key == alias }) else { return }
        if let j = pairs.firstIndex(where: { $0.key == name }) {
            throw RecipeError(file: file, line: pairs[max(i, j)].line, key: keyPath(alias),
                              message: "`\(alias)` is another name for `\(name)`, which is also given; keep one of them")
        }
        pairs[i].key = name
        written[name] = alias
    }

    public func value(_ key: String) -> Node? {
        used.insert(key)
        return pairs.first { $0.key == key }?.value
    }

    public func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// Reports the first key that was never read.
    public func finish(allowedKeys: [String]? = nil) throws {
        if let stray = pairs.first(where: { !used.contains($0.key) }) {
            let allowed = (allowedKeys ?? Array(used)).sorted().joined(separator: ", ")
            throw RecipeError(file: file, line: stray.line, key: keyPath(stray.key), message: "unknown key", allowed: allowed)
        }
    }

    // MARK: scalars

    public func double(_ key: String, default def: Double? = nil, in range: ClosedRange<Double>? = nil) throws -> Double {
        record(key, .number)
        guard let v = value(key) else {
            if let def { return def }
            throw error(key, "missing required number")
        }
        guard let d = ConfigNode.number(v) else { throw error(key, ConfigNode.notANumber(v)) }
        if let range, !range.contains(d) { throw error(key, "\(ConfigNode.show(d)) is out of range", allowed: "\(ConfigNode.show(range.lowerBound))…\(ConfigNode.show(range.upperBound))") }
        return d
    }

    public func optionalDouble(_ key: String, in range: ClosedRange<Double>? = nil) throws -> Double? {
        has(key) ? try double(key, in: range) : { record(key, .number); used.insert(key); return nil }()
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int>? = nil) throws -> Int? {
        has(key) ? try int(key, in: range) : { record(key, .integer); used.insert(key); return nil }()
    }

    public func int(_ key: String, default def: Int? = nil, in range: ClosedRange<Int>? = nil) throws -> Int {
        record(key, .integer)
        guard let v = value(key) else {
            if let def { return def }
            throw error(key, "missing required integer")
        }
        guard let d = ConfigNode.number(v) else { throw error(key, ConfigNode.notANumber(v, expected: "an integer")) }
        guard d == d.rounded() else { throw error(key, "expected an integer, got \(ConfigNode.show(d))") }
        // Compared as Doubles first: converting an out-of-range Double to Int would trap.
        if let range {
            guard d >= Double(range.lowerBound), d <= Double(range.upperBound), let i = Int(exactly: d) else {
                throw error(key, "\(ConfigNode.text(v)) is out of range", allowed: "\(range.lowerBound)…\(range.upperBound)")
            }
            return i
        }
        guard let i = ConfigNode.exactInt(d) else {
            throw error(key, "\(ConfigNode.text(v)) is out of range", allowed: "integers of magnitude up to 2^53")
        }
        return i
    }

    public func bool(_ key: String, default def: Bool) throws -> Bool {
        record(key, .flag)
        guard let v = value(key) else { return def }
        guard case let .scalar(s) = v, let b = Bool.construct(from: s) else { throw error(key, "expected true or false, got \(ConfigNode.kind(v))") }
        return b
    }

    public func string(_ key: String, default def: String? = nil, allowed: [String]? = nil) throws -> String {
        record(key, .name)
        guard let v = value(key) else {
            if let def { return def }
            throw error(key, "missing required value", allowed: allowed?.joined(separator: ", "))
        }
        guard case let .scalar(s) = v else { throw error(key, "expected a name, got \(ConfigNode.kind(v))") }
        if let allowed, !allowed.contains(s.string) { throw error(key, "unknown value `\(s.string)`", allowed: allowed.joined(separator: ", ")) }
        return s.string
    }

    public func optionalString(_ key: String) throws -> String? {
        has(key) ? try string(key) : { record(key, .name); used.insert(key); return nil }()
    }

    // MARK: lists

    /// `[lo, hi]` with lo ≤ hi, both inside `bounds`; a single number means `[x, x]`.
    public func range(_ key: String, default def: ClosedRange<Double>? = nil, within bounds: ClosedRange<Double>? = nil) throws -> ClosedRange<Double> {
        record(key, .range)
        guard let v = value(key) else {
            if let def { return def }
            throw error(key, "missing required range [low, high]")
        }
        let values: [Double]
        if let d = ConfigNode.number(v) {
            values = [d, d]
        } else {
            values = try numbers(v, key: key)
        }
        guard values.count == 2 else { throw error(key, "expected a range [low, high], got \(values.count) numbers") }
        guard values[0] <= values[1] else { throw error(key, "range [\(ConfigNode.show(values[0])), \(ConfigNode.show(values[1]))] has low > high") }
        if let bounds, !(bounds.contains(values[0]) && bounds.contains(values[1])) {
            throw error(key, "[\(ConfigNode.show(values[0])), \(ConfigNode.show(values[1]))] is out of range", allowed: "values within \(ConfigNode.show(bounds.lowerBound))…\(ConfigNode.show(bounds.upperBound))")
        }
        return values[0]...values[1]
    }

    func optionalRange(_ key: String, within bounds: ClosedRange<Double>? = nil) throws -> ClosedRange<Double>? {
        has(key) ? try range(key, within: bounds) : { record(key, .range); used.insert(key); return nil }()
    }

    public func doubles(_ key: String) throws -> [Double]? {
        record(key, .numbers)
        guard let v = value(key) else { return nil }
        return try numbers(v, key: key)
    }

    public func strings(_ key: String, allowed: [String]) throws -> [String]? {
        record(key, .names)
        guard let v = value(key) else { return nil }
        let items: [Node]
        switch v {
        case let .sequence(seq): items = Array(seq)
        case .scalar: items = [v]
        default: throw error(key, "expected a list of names", allowed: allowed.joined(separator: ", "))
        }
        // Every list of choices is drawn from: an empty one would leave nothing to draw.
        guard !items.isEmpty else { throw error(key, "needs at least one name", allowed: allowed.joined(separator: ", ")) }
        return try items.map { item in
            guard case let .scalar(s) = item else { throw error(key, "expected a name, got \(ConfigNode.kind(item))") }
            guard allowed.contains(s.string) else {
                throw RecipeError(file: file, line: item.mark?.line, key: keyPath(key), message: "unknown value `\(s.string)`", allowed: allowed.joined(separator: ", "))
            }
            return s.string
        }
    }

    /// Probabilities for `count` choices: non-negative and summing to 1 (within 1e-6).
    public func probabilities(_ key: String, count: Int, default def: [Double]? = nil) throws -> [Double] {
        guard let list = try doubles(key) else {
            if let def { return def }
            throw error(key, "missing required probabilities")
        }
        guard list.count == count else { throw error(key, "expected \(count) probabilities (one per choice), got \(list.count)") }
        guard list.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { throw error(key, "probabilities must lie in 0…1") }
        let sum = list.reduce(0, +)
        guard abs(sum - 1) < 1e-6 else { throw error(key, "probabilities sum to \(ConfigNode.show(sum)), not 1") }
        return list
    }

    public func probability(_ key: String, default def: Double) throws -> Double {
        try double(key, default: def, in: 0...1)
    }

    public func child(_ key: String) throws -> ConfigNode? {
        record(key, .section)
        guard let v = value(key) else { return nil }
        return try ConfigNode(v, path: keyPath(key), file: file)
    }

    private func numbers(_ v: Node, key: String) throws -> [Double] {
        guard case let .sequence(seq) = v else { throw error(key, "expected a list of numbers, got \(ConfigNode.kind(v))") }
        return try seq.map { item in
            guard let d = ConfigNode.number(item) else {
                throw RecipeError(file: file, line: item.mark?.line, key: keyPath(key), message: ConfigNode.notANumber(item))
            }
            return d
        }
    }

    // MARK: helpers

    /// Plain numbers only (`1e4`, `0.5`, `-3`), plus `pi`-multiples written `pi`, `pi/3`, `-pi`, `2pi/3`,
    /// since kernel angles and sinc cut-offs are naturally fractions of π. Nothing else is interpreted.
    public static func number(_ node: Node) -> Double? {
        guard case let .scalar(s) = node else { return nil }
        let text = s.string.trimmingCharacters(in: .whitespaces)
        if let d = Double(text) { return d.isFinite ? d : nil }
        return piMultiple(text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// The integer a whole-numbered Double stands for, or nil beyond ±2^53 (where Doubles skip integers) — never a trap.
    static func exactInt(_ d: Double) -> Int? {
        abs(d) <= 9_007_199_254_740_992 ? Int(exactly: d) : nil
    }

    /// The error text for a value `number` refused: infinities, NaN and numbers too large for a Double are
    /// out of range; anything else is not a number at all.
    static func notANumber(_ node: Node, expected: String = "a number") -> String {
        let t = text(node).trimmingCharacters(in: .whitespaces).lowercased()
        let yamlSpecial = [".inf", "+.inf", "-.inf", ".nan", "inf", "-inf", "+inf", "nan", "infinity", "-infinity"]
        if yamlSpecial.contains(t) || Double(t) != nil || piMultiple(t) != nil {  // parsed, so not finite
            return "\(text(node)) is out of range: only finite numbers are accepted"
        }
        return "expected \(expected), got \(kind(node))"
    }

    /// A scalar's text as written, or a description of a collection.
    public static func text(_ node: Node) -> String {
        if case let .scalar(s) = node { return s.string }
        return kind(node)
    }

    static func piMultiple(_ text: String) -> Double? {
        var t = text.replacingOccurrences(of: " ", with: "").lowercased()
        var sign = 1.0
        if t.hasPrefix("-") { sign = -1; t.removeFirst() }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].hasSuffix("pi") else { return nil }
        let coefText = parts[0].dropLast(2).replacingOccurrences(of: "*", with: "")
        guard let coef = coefText.isEmpty ? 1 : Double(coefText) else { return nil }
        var value = sign * coef * Double.pi
        if parts.count == 2 {
            guard let d = Double(parts[1]), d != 0 else { return nil }
            value /= d
        }
        return value
    }

    public static func kind(_ node: Node) -> String {
        switch node {
        case let .scalar(s): return "`\(s.string)`"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    public static func show(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e9 ? String(Int(d)) : String(d)
    }
}

import Foundation

extension ConfigNode {
    /// Parses YAML text into the top-level mapping, reporting syntax errors with their line.
    public static func parseDocument(_ text: String, file: String) throws -> ConfigNode {
        let root: Node
        guard text.utf8.count <= RecipeLimits.maxBytes else {
            throw RecipeError(file: file, line: nil, key: "", message: "the text is larger than the limit of \(RecipeLimits.maxBytes) bytes for recipes and configs")
        }
        try YAMLBounds.check(text, file: file)
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw RecipeError(file: file, line: nil, key: "", message: "the file is empty")
            }
            root = node
        } catch let e as RecipeError {
            throw e
        } catch let e as YamlError {
            throw RecipeError(file: file, line: RecipeParser.yamlLine(e), key: "", message: "YAML syntax error: \(RecipeParser.yamlMessage(e))")
        }
        return try ConfigNode(root, path: "", file: file)
    }
}
