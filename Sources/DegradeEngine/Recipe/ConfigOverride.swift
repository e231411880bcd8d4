import Yams

/// One `--set KEY.PATH=VALUE` override of a recipe or train config, applied to the parsed YAML tree before
/// validation, so an overridden value is checked exactly like one written in the file. Path segments are
/// mapping keys or list indices: `pipeline.0.blur.sigma_x` (also written `pipeline[0].blur.sigma_x`, the form
/// error messages use). The value is YAML: a scalar (`0.5`, `pi/3`, `libx264`) or a flow collection (`[1, 2]`,
/// `{size: 128}`).
public struct ConfigOverride: Sendable, Equatable {
    /// 1-based position among the `--set` options, as errors name it.
    public let position: Int
    /// The option as given, `KEY.PATH=VALUE`.
    public let text: String
    public let path: [Segment]
    let valueText: String

    public enum Segment: Sendable, Equatable, CustomStringConvertible {
        case key(String)
        case index(Int)
        public var description: String {
            switch self {
            case let .key(k): k
            case let .index(i): String(i)
            }
        }
    }

    /// How errors and records name this override: `--set #2 'crop.size=128'`.
    public var label: String { "--set #\(position) '\(text)'" }

    public init(_ text: String, position: Int) throws {
        self.position = position
        self.text = text
        let label = "--set #\(position) '\(text)'"
        guard let eq = text.firstIndex(of: "=") else {
            throw RecipeError(file: label, line: nil, key: "", message: "expected KEY.PATH=VALUE, e.g. pipeline.0.blur.sigma_x=[0.2, 2]")
        }
        let pathText = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        valueText = String(text[text.index(after: eq)...])
        // `a[0].b` is the same path as `a.0.b`.
        let dotted = pathText.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !pathText.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
            throw RecipeError(file: label, line: nil, key: pathText, message: "the key path has an empty segment; write keys and list indices separated by dots, e.g. pipeline.0.blur.sigma_x")
        }
        guard parts.count <= RecipeLimits.maxNesting else {
            throw RecipeError(file: label, line: nil, key: "", message: "the key path is deeper than the limit of \(RecipeLimits.maxNesting) levels")
        }
        path = parts.map { p in
            if p.allSatisfy(\.isASCII), p.allSatisfy(\.isNumber), p.count <= 9, let i = Int(p) { return .index(i) }
            return .key(p)
        }
    }

    /// The parsed options of a command, in order.
    public static func parse(_ options: [String]) throws -> [ConfigOverride] {
        try options.enumerated().map { try ConfigOverride($1, position: $0 + 1) }
    }

    /// The key path as a recipe error names keys (`pipeline[0].blur.sigma_x`).
    var keyPath: String {
        var s = ""
        for seg in path {
            switch seg {
            case let .key(k): s += s.isEmpty ? k : ".\(k)"
            case let .index(i): s += "[\(i)]"
            }
        }
        return s
    }

    func value() throws -> Node {
        try YAMLBounds.check(valueText, file: label)
        do {
            guard let node = try Yams.compose(yaml: valueText) else { return Node("", Tag(.null)) }
            return node
        } catch let e as YamlError {
            throw RecipeError(file: label, line: nil, key: keyPath, message: "the value is not valid YAML: \(RecipeParser.yamlMessage(e))")
        }
    }

    /// The tree with this override applied. Missing mapping keys are created (as nested mappings along the
    /// path); a list index must name an existing entry, or the one just past the end (appended).
    func apply(to root: Node) throws -> Node {
        try set(try value(), in: root, at: path[...], walked: "")
    }

    private func set(_ value: Node, in node: Node, at rest: ArraySlice<Segment>, walked: String) throws -> Node {
        guard let seg = rest.first else { return value }
        let next = rest.dropFirst()
        switch (seg, node) {
        case let (.key(k), .mapping(m)):
            var pairs = Array(m.map { ($0.key, $0.value) })
            let here = walked.isEmpty ? k : "\(walked).\(k)"
            if let i = pairs.firstIndex(where: { $0.0.string == k }) {
                pairs[i].1 = try set(value, in: pairs[i].1, at: next, walked: here)
            } else {
                pairs.append((Node(k), try set(value, in: Node.mapping(.init([])), at: next, walked: here)))
            }
            return .mapping(Node.Mapping(pairs, m.tag, m.style, m.mark))
        case let (.index(i), .sequence(s)):
            var items = Array(s)
            let here = "\(walked)[\(i)]"
            if i < items.count {
                items[i] = try set(value, in: items[i], at: next, walked: here)
            } else if i == items.count {
                items.append(try set(value, in: Node.mapping(.init([])), at: next, walked: here))
            } else {
                throw RecipeError(file: label, line: nil, key: here,
                                  message: "index \(i) is past the end of a list of \(items.count) entries (indices 0…\(items.count - 1), or \(items.count) to append)")
            }
            return .sequence(Node.Sequence(items, s.tag, s.style, s.mark))
        case let (.index(i), .mapping):
            // A mapping keyed by numbers (`{2: 0.1}`): the segment is a key after all.
            return try set(value, in: node, at: [.key(String(i))] + next, walked: walked)
        case (.key, .scalar) where ConfigOverride.isNull(node):
            return try set(value, in: Node.mapping(.init([])), at: rest, walked: walked)
        case let (.key(k), _):
            throw RecipeError(file: label, line: nil, key: walked.isEmpty ? k : walked,
                              message: "cannot set key `\(k)`: \(walked.isEmpty ? "the document" : "`\(walked)`") is \(ConfigNode.kind(node)), not a mapping")
        case let (.index(i), _):
            throw RecipeError(file: label, line: nil, key: walked,
                              message: "cannot use index \(i): `\(walked)` is \(ConfigNode.kind(node)), not a list")
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard case let .scalar(s) = node else { return false }
        return s.string.isEmpty || s.string == "~" || s.string == "null"
    }

    /// Whether a recipe error at `key` (as the parsers write key paths) lies at or under this override's path,
    /// i.e. the value that failed came from it.
    func covers(_ key: String) -> Bool {
        let mine = keyPath
        return key == mine || key.hasPrefix(mine + ".") || key.hasPrefix(mine + "[")
    }
}

extension ConfigOverride {
    /// Parses `text`, applies `overrides` in order and hands the tree to `parse`; an error whose key lies under
    /// an override's path is reported against that `--set` instead of the file's line. Also returns the text the
    /// run is reproducible from: `text` itself when there are no overrides, else the effective YAML, headed by
    /// comments naming the file and the overrides.
    public static func applying<T>(_ overrides: [ConfigOverride], to text: String, file: String,
                            parse: (ConfigNode, String) throws -> T) throws -> T {
        let top = try ConfigNode.parseDocument(text, file: file)
        guard !overrides.isEmpty else { return try parse(top, text) }
        var root = top.node
        for o in overrides { root = try o.apply(to: root) }
        let effective = try effectiveText(root, overrides: overrides)
        do {
            return try parse(try ConfigNode(root, path: "", file: file), effective)
        } catch var e as RecipeError {
            if let o = overrides.last(where: { $0.covers(e.key) }) {
                e.file = o.label
                e.line = nil
            }
            throw e
        }
    }

    /// The header names no file, so the same recipe and overrides hash the same from any folder.
    static func effectiveText(_ root: Node, overrides: [ConfigOverride]) throws -> String {
        var head = "# the recipe or config as read, with these overrides applied:\n"
        for o in overrides { head += "#   --set \(o.text.replacingOccurrences(of: "\n", with: " "))\n" }
        let text: String
        do {
            text = head + (try Yams.serialize(node: root, width: -1, allowUnicode: true))
        } catch {
            throw RecipeError(file: overrides.last?.label ?? "--set", line: nil, key: "", message: "the overridden document cannot be written back as YAML: \(error)")
        }
        // The recorded text is a recipe like any other: held to the same size limit.
        guard text.utf8.count <= RecipeLimits.maxBytes else {
            throw RecipeError(file: overrides.last?.label ?? "--set", line: nil, key: "",
                              message: "with the overrides the recipe is larger than the limit of \(RecipeLimits.maxBytes) bytes for recipes and configs")
        }
        return text
    }
}
