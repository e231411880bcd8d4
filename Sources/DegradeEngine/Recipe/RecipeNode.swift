import Yams

/// Typed, validating access to one mapping of a recipe. Every read records the key, so `finish()` can
/// report keys nobody asked for (typos such as `sigma_X`) instead of silently ignoring them.
/// Recipes are data: values are only ever read as numbers, strings, booleans and lists, never evaluated.
final class RecipeNode {
    let file: String
    let path: String
    let node: Node
    private var pairs: [(key: String, value: Node, line: Int?)] = []
    private var used: Set<String> = []

    init(_ node: Node, path: String, file: String) throws {
        self.node = node
        self.path = path
        self.file = file
        guard case let .mapping(mapping) = node else {
            throw RecipeError(file: file, line: node.mark?.line, key: path, message: "expected a mapping of keys to values, got \(RecipeNode.kind(node))")
        }
        for (k, v) in mapping {
            guard let name = k.string else {
                throw RecipeError(file: file, line: k.mark?.line, key: path, message: "keys must be plain names")
            }
            pairs.append((name, v, k.mark?.line))
        }
    }

    var line: Int? { node.mark?.line }
    var keys: [String] { pairs.map(\.key) }

    func error(_ key: String, _ message: String, allowed: String? = nil) -> RecipeError {
        RecipeError(file: file, line: value(key)?.mark?.line ?? pairs.first { $0.key == key }?.line ?? line,
                    key: keyPath(key), message: message, allowed: allowed)
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func value(_ key: String) -> Node? {
        used.insert(key)
        return pairs.first { $0.key == key }?.value
    }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// Reports the first key that was never read.
    func finish(allowedKeys: [String]? = nil) throws {
        if let stray = pairs.first(where: { !used.contains($0.key) }) {
            let allowed = (allowedKeys ?? Array(used)).sorted().joined(separator: ", ")
            throw RecipeError(file: file, line: stray.line, key: keyPath(stray.key), message: "unknown key", allowed: allowed)
        }
    }

    // MARK: scalars

    func double(_ key: String, default def: Double? = nil, in range: ClosedRange<Double>? = nil) throws -> Double {
        guard let v = value(key) else {
            if let def { return def }
            throw error(key, "missing required number")
        }
        guard let d = RecipeNode.number(v) else { throw error(key, "expected a number, got \(RecipeNode.kind(v))") }
        if let range, !range.contains(d) { throw error(key, "\(RecipeNode.show(d)) is out of range", allowed: "\(RecipeNode.show(range.lowerBound))…\(RecipeNode.show(range.upperBound))") }
        return d
    }

    func optionalDouble(_ key: String, in range: ClosedRange<Double>? = nil) throws -> Double? {
        has(key) ? try double(key, in: range) : { used.insert(key); return nil }()
    }

    func int(_ key: String, default def: Int? = nil, in range: ClosedRange<Int>? = nil) throws -> Int {
        guard let v = value(key) else {
            if let def { return def }
            throw error(key, "missing required integer")
        }
        guard let d = RecipeNode.number(v), d == d.rounded(), abs(d) < 1e15 else { throw error(key, "expected an integer, got \(RecipeNode.kind(v))") }
        if let range, !range.contains(Int(d)) { throw error(key, "\(Int(d)) is out of range", allowed: "\(range.lowerBound)…\(range.upperBound)") }
        return Int(d)
    }

    func bool(_ key: String, default def: Bool) throws -> Bool {
        guard let v = value(key) else { return def }
        guard case let .scalar(s) = v, let b = Bool.construct(from: s) else { throw error(key, "expected true or false, got \(RecipeNode.kind(v))") }
        return b
    }

    func string(_ key: String, default def: String? = nil, allowed: [String]? = nil) throws -> String {
        guard let v = value(key) else {
            if let def { return def }
            throw error(key, "missing required value", allowed: allowed?.joined(separator: ", "))
        }
        guard case let .scalar(s) = v else { throw error(key, "expected a name, got \(RecipeNode.kind(v))") }
        if let allowed, !allowed.contains(s.string) { throw error(key, "unknown value `\(s.string)`", allowed: allowed.joined(separator: ", ")) }
        return s.string
    }

    func optionalString(_ key: String) throws -> String? {
        has(key) ? try string(key) : { used.insert(key); return nil }()
    }

    // MARK: lists

    /// `[lo, hi]` with lo ≤ hi, both inside `bounds`; a single number means `[x, x]`.
    func range(_ key: String, default def: ClosedRange<Double>? = nil, within bounds: ClosedRange<Double>? = nil) throws -> ClosedRange<Double> {
        guard let v = value(key) else {
            if let def { return def }
            throw error(key, "missing required range [low, high]")
        }
        let values: [Double]
        if let d = RecipeNode.number(v) {
            values = [d, d]
        } else {
            values = try numbers(v, key: key)
        }
        guard values.count == 2 else { throw error(key, "expected a range [low, high], got \(values.count) numbers") }
        guard values[0] <= values[1] else { throw error(key, "range [\(RecipeNode.show(values[0])), \(RecipeNode.show(values[1]))] has low > high") }
        if let bounds, !(bounds.contains(values[0]) && bounds.contains(values[1])) {
            throw error(key, "[\(RecipeNode.show(values[0])), \(RecipeNode.show(values[1]))] is out of range", allowed: "values within \(RecipeNode.show(bounds.lowerBound))…\(RecipeNode.show(bounds.upperBound))")
        }
        return values[0]...values[1]
    }

    func optionalRange(_ key: String, within bounds: ClosedRange<Double>? = nil) throws -> ClosedRange<Double>? {
        has(key) ? try range(key, within: bounds) : { used.insert(key); return nil }()
    }

    func doubles(_ key: String) throws -> [Double]? {
        guard let v = value(key) else { return nil }
        return try numbers(v, key: key)
    }

    func strings(_ key: String, allowed: [String]) throws -> [String]? {
        guard let v = value(key) else { return nil }
        let items: [Node]
        switch v {
        case let .sequence(seq): items = Array(seq)
        case .scalar: items = [v]
        default: throw error(key, "expected a list of names", allowed: allowed.joined(separator: ", "))
        }
        return try items.map { item in
            guard case let .scalar(s) = item else { throw error(key, "expected a name, got \(RecipeNode.kind(item))") }
            guard allowed.contains(s.string) else {
                throw RecipeError(file: file, line: item.mark?.line, key: keyPath(key), message: "unknown value `\(s.string)`", allowed: allowed.joined(separator: ", "))
            }
            return s.string
        }
    }

    /// Probabilities for `count` choices: non-negative and summing to 1 (within 1e-6).
    func probabilities(_ key: String, count: Int, default def: [Double]? = nil) throws -> [Double] {
        guard let list = try doubles(key) else {
            if let def { return def }
            throw error(key, "missing required probabilities")
        }
        guard list.count == count else { throw error(key, "expected \(count) probabilities (one per choice), got \(list.count)") }
        guard list.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { throw error(key, "probabilities must lie in 0…1") }
        let sum = list.reduce(0, +)
        guard abs(sum - 1) < 1e-6 else { throw error(key, "probabilities sum to \(RecipeNode.show(sum)), not 1") }
        return list
    }

    func probability(_ key: String, default def: Double) throws -> Double {
        try double(key, default: def, in: 0...1)
    }

    func child(_ key: String) throws -> RecipeNode? {
        guard let v = value(key) else { return nil }
        return try RecipeNode(v, path: keyPath(key), file: file)
    }

    private func numbers(_ v: Node, key: String) throws -> [Double] {
        guard case let .sequence(seq) = v else { throw error(key, "expected a list of numbers, got \(RecipeNode.kind(v))") }
        return try seq.map { item in
            guard let d = RecipeNode.number(item) else {
                throw RecipeError(file: file, line: item.mark?.line, key: keyPath(key), message: "expected a number, got \(RecipeNode.kind(item))")
            }
            return d
        }
    }

    // MARK: helpers

    /// Plain numbers only (`1e4`, `0.5`, `-3`), plus `pi`-multiples written `pi`, `pi/3`, `-pi`, `2pi/3`,
    /// since kernel angles and sinc cut-offs are naturally fractions of π. Nothing else is interpreted.
    static func number(_ node: Node) -> Double? {
        guard case let .scalar(s) = node else { return nil }
        let text = s.string.trimmingCharacters(in: .whitespaces)
        if let d = Double(text), d.isFinite { return d }
        return piMultiple(text)
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

    static func kind(_ node: Node) -> String {
        switch node {
        case let .scalar(s): return "`\(s.string)`"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func show(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e9 ? String(Int(d)) : String(d)
    }
}

import Foundation
