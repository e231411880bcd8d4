import Foundation

/// An mmedit 0.x / mmagic 1.x Python config read as data: top-level `NAME = literal` statements, nothing
/// executed. Literals are dicts (`dict(k=v)`, `{'k': v}`), lists, tuples, numbers, strings, True/False/None,
/// names bound earlier in the file, `np.pi` / `math.pi`, and + − × ÷ on numbers. Any other statement (imports,
/// calls, `def`, …) or value (`__import__(…)`, f-strings, subscripts, …) is recorded with its line in
/// `unsupported` and never evaluated. `_base_` files are followed only inside the config's own folder.
/// Bounded like recipes: `RecipeLimits` caps the text, the nesting and the number of values.
public struct PythonConfig {
    public var file: String
    /// Top-level names in binding order, `_base_` bindings first (merged as mmengine merges dicts).
    public var bindings: [(name: String, value: PythonValue, file: String, line: Int)] = []
    /// Statements and bases that were not read, with file and line.
    public var unsupported: [(file: String, line: Int, what: String)] = []
    /// Names that later values refer to (`params=first_blur`).
    public var referenced: Set<String> = []
    /// Where the config's own `_base_` was written, when it has one.
    public var base: (file: String, line: Int)?

    public subscript(_ name: String) -> PythonValue? { bindings.last { $0.name == name }?.value }
    public func binding(_ name: String) -> (value: PythonValue, file: String, line: Int)? {
        bindings.last { $0.name == name }.map { ($0.value, $0.file, $0.line) }
    }

    public static func load(_ path: String) throws -> PythonConfig {
        var visiting: [String] = []
        return try load(path, root: URL(fileURLWithPath: path).deletingLastPathComponent().standardized.path, visiting: &visiting)
    }

    public static func parse(_ text: String, file: String) throws -> PythonConfig {
        var reader = try Reader(text: text, file: file)
        return try reader.read()
    }

    private static func load(_ path: String, root: String, visiting: inout [String]) throws -> PythonConfig {
        let text = try RecipeText.read(path)
        var own = try parse(text, file: path)
        guard case let .some(base) = own["_base_"] else { return own }
        let line = own.binding("_base_")?.line ?? 1
        let names: [String]
        switch base {
        case let .string(s): names = [s]
        case let .list(items, _) where items.allSatisfy({ $0.string != nil }): names = items.compactMap(\.string)
        default:
            own.unsupported.append((path, line, "_base_ is \(base.kind), not a file name or a list of them: not followed"))
            return own
        }
        var merged = PythonConfig(file: path)
        merged.unsupported = own.unsupported
        merged.referenced = own.referenced
        merged.base = (path, line)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        for name in names {
            let resolved = folder.appendingPathComponent(name).standardized.path
            guard resolved.hasPrefix(root + "/") else {
                merged.unsupported.append((path, line, "_base_ '\(name)' lies outside the config's folder: not followed"))
                continue
            }
            guard !visiting.contains(resolved) else {
                throw RecipeError(file: path, line: line, key: "_base_", message: "'\(name)' includes itself (a cycle of _base_ files)")
            }
            guard visiting.count < 16 else {
                throw RecipeError(file: path, line: line, key: "_base_", message: "_base_ files nest deeper than 16 levels")
            }
            visiting.append(resolved)
            defer { visiting.removeLast() }
            let b = try load(resolved, root: root, visiting: &visiting)
            merged.unsupported += b.unsupported
            merged.referenced.formUnion(b.referenced)
            for entry in b.bindings { merged.bind(entry.name, entry.value, file: entry.file, line: entry.line) }
        }
        for entry in own.bindings where entry.name != "_base_" { merged.bind(entry.name, entry.value, file: entry.file, line: entry.line) }
        return merged
    }

    /// A later binding of a dict merges into an earlier one key by key (mmengine's rule, `_delete_=True`
    /// replacing instead); anything else replaces.
    mutating func bind(_ name: String, _ value: PythonValue, file: String, line: Int) {
        if let i = bindings.lastIndex(where: { $0.name == name }) {
            bindings[i].value = Self.merge(bindings[i].value, value)
            bindings[i].file = file
            bindings[i].line = line
        } else {
            bindings.append((name, value, file, line))
        }
    }

    static func merge(_ old: PythonValue, _ new: PythonValue) -> PythonValue {
        guard case var .dict(a) = old, case var .dict(b) = new else { return new }
        if case .bool(true) = b["_delete_"] ?? .none {
            b.entries.removeAll { $0.key == "_delete_" }
            return .dict(b)
        }
        for e in b.entries {
            if let i = a.entries.firstIndex(where: { $0.key == e.key }) {
                a.entries[i].value = merge(a.entries[i].value, e.value)
                a.entries[i].line = e.line
            } else {
                a.entries.append(e)
            }
        }
        a.file = b.file
        return .dict(a)
    }
}

/// Reads statements from tokens; values outside the subset become `.unsupported` without being looked at further.
private struct Reader {
    let file: String
    let tokens: [PythonToken]
    var i = 0
    var config: PythonConfig
    var values = 0
    var depth = 0
    /// The name being bound, for reports of constructs inside its value.
    var binding = ""
    /// Values each bound name holds: a use of the name counts them all, before anything is copied, so names
    /// doubling each other (`b = [a, a]`, …) hit the limit instead of growing without end.
    var sizes: [String: Int] = [:]

    mutating func count(_ n: Int, line: Int) throws {
        values += n
        guard values <= RecipeLimits.maxNodes else {
            throw RecipeError(file: file, line: line, key: binding, message: "the config holds more than the limit of \(RecipeLimits.maxNodes) values (each use of a name counts its whole value)")
        }
    }

    /// Thrown inside an expression: the statement's value is unsupported.
    struct Unsupported: Error { var line: Int; var reason: String }

    init(text: String, file: String) throws {
        self.file = file
        tokens = try PythonTokens.tokenize(text, file: file)
        config = PythonConfig(file: file)
    }

    var token: PythonToken { tokens[i] }

    mutating func read() throws -> PythonConfig {
        while token.kind != .end {
            let line = token.line
            if token.kind == .newline { i += 1; continue }
            if token.kind == .indent {
                skipStatement()
                continue
            }
            if case let .name(name) = token.kind, i + 1 < tokens.count, tokens[i + 1].kind == .op("=") {
                i += 2
                binding = name
                let before = values
                var value: PythonValue
                do {
                    value = try expression()
                    if token.kind != .newline {
                        value = .unsupported(line: token.line, reason: "more after the value (\(describe(token)))")
                        skipStatement()
                    }
                } catch let u as Unsupported {
                    value = .unsupported(line: u.line, reason: u.reason)
                    skipStatement()
                }
                sizes[name] = max(1, values - before)
                config.bind(name, value, file: file, line: line)
                if case let .unsupported(l, reason) = value { config.unsupported.append((file, l, "`\(name) = …`: \(reason); not evaluated")) }
            } else {
                config.unsupported.append((file, line, "a statement that is not `NAME = literal` (\(describe(token)) …): not evaluated"))
                skipStatement()
            }
        }
        return config
    }

    /// To the end of the logical line, and past any indented lines that belong to it.
    mutating func skipStatement() {
        while token.kind != .end && token.kind != .newline { i += 1 }
        if token.kind == .newline { i += 1 }
        while token.kind == .indent {
            while token.kind != .end && token.kind != .newline { i += 1 }
            if token.kind == .newline { i += 1 }
        }
    }

    func describe(_ t: PythonToken) -> String {
        switch t.kind {
        case let .name(n): return "`\(n)`"
        case let .op(o): return "`\(o)`"
        case .number: return "a number"
        case .string: return "a string"
        case .newline, .indent: return "a line break"
        case .end: return "the end of the file"
        }
    }

    mutating func expect(_ op: String) throws {
        guard token.kind == .op(op) else { throw Unsupported(line: token.line, reason: "expected `\(op)`, found \(describe(token))") }
        i += 1
    }

    mutating func nested<T>(_ body: (inout Reader) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= RecipeLimits.maxNesting else {
            throw RecipeError(file: file, line: token.line, key: "", message: "values nest deeper than the limit of \(RecipeLimits.maxNesting) levels")
        }
        return try body(&self)
    }

    // MARK: expressions

    mutating func expression() throws -> PythonValue {
        try nested { r in
            var left = try r.term()
            while case let .op(o) = r.token.kind, o == "+" || o == "-" {
                let line = r.token.line
                r.i += 1
                let right = try r.term()
                left = try r.arithmetic(o, left, right, line: line)
            }
            if case let .op(o) = r.token.kind, !["," , ")", "]", "}", ":"].contains(o) {
                throw Unsupported(line: r.token.line, reason: "the operator `\(o)` is outside the literal subset")
            }
            if case let .name(n) = r.token.kind {
                throw Unsupported(line: r.token.line, reason: "`\(n)` after a value (a conditional, comprehension or other expression)")
            }
            return left
        }
    }

    mutating func term() throws -> PythonValue {
        var left = try unary()
        while case let .op(o) = token.kind, ["*", "/", "//", "%"].contains(o) {
            let line = token.line
            i += 1
            let right = try unary()
            left = try arithmetic(o, left, right, line: line)
        }
        return left
    }

    mutating func unary() throws -> PythonValue {
        if case let .op(o) = token.kind, o == "-" || o == "+" {
            let line = token.line
            i += 1
            let v = try nested { try $0.unary() }
            guard case let .number(d, integer) = v else { throw Unsupported(line: line, reason: "unary `\(o)` on \(v.kind)") }
            return .number(o == "-" ? -d : d, integer: integer)
        }
        let base = try atom()
        if token.kind == .op("**") {
            let line = token.line
            i += 1
            let exponent = try nested { try $0.unary() }
            return try arithmetic("**", base, exponent, line: line)
        }
        return base
    }

    mutating func arithmetic(_ op: String, _ a: PythonValue, _ b: PythonValue, line: Int) throws -> PythonValue {
        if op == "+", case let .string(x) = a, case let .string(y) = b { return .string(x + y) }
        guard case let .number(x, xi) = a, case let .number(y, yi) = b else {
            throw Unsupported(line: line, reason: "`\(op)` on \(a.kind) and \(b.kind) (only numbers are computed)")
        }
        let integer = xi && yi
        let r: Double
        switch op {
        case "+": r = x + y
        case "-": r = x - y
        case "*": r = x * y
        case "/": guard y != 0 else { throw Unsupported(line: line, reason: "division by zero") }; r = x / y
        case "//": guard y != 0 else { throw Unsupported(line: line, reason: "division by zero") }; r = (x / y).rounded(.down)
        case "%": guard y != 0 else { throw Unsupported(line: line, reason: "division by zero") }; r = x - y * (x / y).rounded(.down)
        case "**": r = Foundation.pow(x, y)
        default: throw Unsupported(line: line, reason: "the operator `\(op)`")
        }
        guard r.isFinite else { throw Unsupported(line: line, reason: "`\(op)` gives a number that is not finite") }
        return .number(r, integer: integer && op != "/" && (op != "**" || y >= 0))
    }

    mutating func atom() throws -> PythonValue {
        let t = token
        if case let .name(n) = t.kind, let size = sizes[n] { try count(size, line: t.line) } else { try count(1, line: t.line) }
        switch t.kind {
        case let .number(d, integer):
            i += 1
            return .number(d, integer: integer)
        case let .string(s, formatted):
            i += 1
            var value = s
            var fString = formatted
            while case let .string(more, f) = token.kind { value += more; fString = fString || f; i += 1 }  // 'a' 'b'
            if fString { throw Unsupported(line: t.line, reason: "an f-string (formatting is not evaluated)") }
            return .string(value)
        case .op("["):
            i += 1
            return .list(try items(closing: "]"), line: t.line)
        case .op("("):
            i += 1
            // `(x)` is x; `(x,)` and `(x, y)` are tuples, read as lists.
            if token.kind == .op(")") { i += 1; return .list([], line: t.line) }
            let first = try expression()
            if token.kind == .op(")") { i += 1; return first }
            try expect(",")
            let rest = try items(closing: ")")
            return .list([first] + rest, line: t.line)
        case .op("{"):
            i += 1
            return .dict(try braceDict(line: t.line))
        case let .name(name):
            i += 1
            switch name {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default: break
            }
            if token.kind == .op(".") {
                var dotted = name
                while token.kind == .op("."), case let .name(part) = tokens[i + 1].kind { dotted += ".\(part)"; i += 2 }
                if ["np.pi", "numpy.pi", "math.pi"].contains(dotted) && token.kind != .op("(") { return .number(Double.pi, integer: false) }
                throw Unsupported(line: t.line, reason: "`\(dotted)\(token.kind == .op("(") ? "(…)" : "")` (only np.pi and math.pi are known)")
            }
            if token.kind == .op("(") {
                guard name == "dict" else { throw Unsupported(line: t.line, reason: "a call of `\(name)(…)` (only dict(…) is read)") }
                i += 1
                return .dict(try callDict(line: t.line))
            }
            if token.kind == .op("[") { throw Unsupported(line: t.line, reason: "a subscript `\(name)[…]`") }
            guard let bound = config[name] else { throw Unsupported(line: t.line, reason: "the name `\(name)` is not bound earlier in the file") }
            if case let .unsupported(l, reason) = bound { throw Unsupported(line: t.line, reason: "`\(name)` was not read (line \(l): \(reason))") }
            config.referenced.insert(name)
            return bound
        default:
            throw Unsupported(line: t.line, reason: "\(describe(t)) where a value was expected")
        }
    }

    /// One entry of a list, tuple or dict: an unsupported construct there makes only that entry unsupported
    /// (reported with its line), so e.g. an f-string path beside `num_input_frames` does not hide the number.
    mutating func element() throws -> PythonValue {
        do {
            return try expression()
        } catch let u as Unsupported {
            var level = 0
            scan: while token.kind != .end && token.kind != .newline {
                if case let .op(o) = token.kind {
                    switch o {
                    case "(", "[", "{": level += 1
                    case ")", "]", "}":
                        if level == 0 { break scan }
                        level -= 1
                    case "," where level == 0: break scan
                    default: break
                    }
                }
                i += 1
            }
            config.unsupported.append((file, u.line, "in `\(binding) = …`: \(u.reason); not evaluated"))
            return .unsupported(line: u.line, reason: u.reason)
        }
    }

    mutating func items(closing: String) throws -> [PythonValue] {
        var out: [PythonValue] = []
        while token.kind != .op(closing) {
            out.append(try element())
            if token.kind == .op(",") { i += 1 } else if token.kind != .op(closing) {
                throw Unsupported(line: token.line, reason: "expected `,` or `\(closing)`, found \(describe(token))")
            }
        }
        i += 1
        return out
    }

    mutating func callDict(line: Int) throws -> PythonDict {
        var d = PythonDict(entries: [], line: line, file: file)
        while token.kind != .op(")") {
            guard case let .name(key) = token.kind, tokens[i + 1].kind == .op("=") else {
                throw Unsupported(line: token.line, reason: "dict(…) with an argument that is not `key=value`")
            }
            let keyLine = token.line
            i += 2
            d.entries.append(.init(key: key, value: try element(), line: keyLine))
            if token.kind == .op(",") { i += 1 } else if token.kind != .op(")") {
                throw Unsupported(line: token.line, reason: "expected `,` or `)`, found \(describe(token))")
            }
        }
        i += 1
        return d
    }

    mutating func braceDict(line: Int) throws -> PythonDict {
        var d = PythonDict(entries: [], line: line, file: file)
        while token.kind != .op("}") {
            let keyLine = token.line
            let key = try expression()
            guard let k = key.string ?? key.number.map({ ConfigNode.show($0) }) else {
                throw Unsupported(line: keyLine, reason: "a dict key that is \(key.kind), not a string")
            }
            guard token.kind == .op(":") else { throw Unsupported(line: token.line, reason: "a set or comprehension, not a dict") }
            i += 1
            d.entries.append(.init(key: k, value: try element(), line: keyLine))
            if token.kind == .op(",") { i += 1 } else if token.kind != .op("}") {
                throw Unsupported(line: token.line, reason: "expected `,` or `}`, found \(describe(token))")
            }
        }
        i += 1
        return d
    }
}
