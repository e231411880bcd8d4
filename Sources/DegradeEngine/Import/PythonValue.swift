/// A value of a Python config read as a literal (never executed): what `PythonConfig` makes of
/// `dict(...)`, `{...}`, lists, tuples, numbers, strings, booleans and `None`. Anything outside that subset is
/// `.unsupported`, carrying where and why, so only a value that is actually used can fail an import.
public indirect enum PythonValue: Sendable, Equatable {
    case number(Double, integer: Bool)
    case string(String)
    case bool(Bool)
    case none
    /// Lists and tuples alike.
    case list([PythonValue], line: Int)
    case dict(PythonDict)
    /// Not evaluated: `line` of the construct and what it is.
    case unsupported(line: Int, reason: String)

    public var number: Double? { if case let .number(d, _) = self { return d }; return nil }
    public var string: String? { if case let .string(s) = self { return s }; return nil }
    public var list: [PythonValue]? { if case let .list(l, _) = self { return l }; return nil }
    public var dict: PythonDict? { if case let .dict(d) = self { return d }; return nil }

    /// A short description for reports: `a list`, `` `0.5` ``.
    var kind: String {
        switch self {
        case let .number(d, integer): return integer ? "`\(Int(exactly: d).map(String.init) ?? String(d))`" : "`\(d)`"
        case let .string(s): return "'\(s)'"
        case let .bool(b): return b ? "True" : "False"
        case .none: return "None"
        case .list: return "a list"
        case .dict: return "a dict"
        case let .unsupported(line, reason): return "an unsupported construct (line \(line): \(reason))"
        }
    }
}

/// `dict(a=1)` or `{'a': 1}`: entries in order, each with the line it was written on.
public struct PythonDict: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: PythonValue
        public var line: Int
    }
    public var entries: [Entry]
    public var line: Int
    /// The file the dict was written in (a `_base_` file or the config itself).
    public var file: String

    public subscript(_ key: String) -> PythonValue? { entries.last { $0.key == key }?.value }
    public func line(of key: String) -> Int { entries.last { $0.key == key }?.line ?? line }
}
