/// Splits Python source into tokens for `PythonConfig`'s literal reader. Only lexing: nothing is executed.
/// Newlines count only outside brackets (Python's logical lines); a logical line that starts indented is
/// marked, since it belongs to a compound statement (`def`, `if`, …) that the reader skips as unsupported.
struct PythonToken: Equatable {
    enum Kind: Equatable {
        case name(String)
        case number(Double, integer: Bool)
        case string(String, formatted: Bool)
        case op(String)
        case newline
        /// A logical line starting with whitespace.
        case indent
        case end
    }
    var kind: Kind
    var line: Int
}

enum PythonTokens {
    static func tokenize(_ text: String, file: String) throws -> [PythonToken] {
        let s = Array(text.unicodeScalars)
        var tokens: [PythonToken] = []
        var i = 0, line = 1, depth = 0
        var atLineStart = true
        func fail(_ message: String) -> RecipeError { RecipeError(file: file, line: line, key: "", message: message) }
        func peek(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
        while i < s.count {
            let c = s[i]
            if atLineStart && depth == 0 {
                // Blank and comment-only lines do not start a statement.
                var j = i
                while j < s.count, s[j] == " " || s[j] == "\t" || s[j] == "\r" || s[j] == "\u{0C}" { j += 1 }
                if j < s.count, s[j] != "\n", s[j] != "#", j > i { tokens.append(PythonToken(kind: .indent, line: line)) }
                i = j
                atLineStart = false
                continue
            }
            switch c {
            case "\n":
                if depth == 0, let last = tokens.last, last.kind != .newline { tokens.append(PythonToken(kind: .newline, line: line)) }
                line += 1
                i += 1
                atLineStart = depth == 0  // inside brackets a line break continues the statement
            case " ", "\t", "\r", "\u{0C}":
                i += 1
            case "#":
                while i < s.count, s[i] != "\n" { i += 1 }
            case "\\":
                guard peek(1) == "\n" || (peek(1) == "\r" && peek(2) == "\n") else { throw fail("a stray backslash") }
                i += peek(1) == "\n" ? 2 : 3
                line += 1
            case "'", "\"":
                let (value, next, lines) = try string(s, from: i, raw: false, file: file, line: line)
                tokens.append(PythonToken(kind: .string(value, formatted: false), line: line))
                line += lines
                i = next
            case "0"..."9", ".":
                if c == ".", !(peek(1).map { ("0"..."9").contains($0) } ?? false) {
                    tokens.append(PythonToken(kind: .op("."), line: line))
                    i += 1
                    continue
                }
                var j = i
                var text = ""
                var integer = true
                if c == "0", let x = peek(1), x == "x" || x == "X" {
                    j += 2
                    while j < s.count, s[j].properties.isASCIIHexDigit || s[j] == "_" { if s[j] != "_" { text.unicodeScalars.append(s[j]) }; j += 1 }
                    guard let v = UInt64(text, radix: 16) else { throw fail("a malformed hexadecimal number") }
                    tokens.append(PythonToken(kind: .number(Double(v), integer: true), line: line))
                    i = j
                    continue
                }
                while j < s.count {
                    let d = s[j]
                    if ("0"..."9").contains(d) || d == "_" {
                        if d != "_" { text.unicodeScalars.append(d) }
                    } else if d == "." {
                        integer = false; text.append(".")
                    } else if d == "e" || d == "E" {
                        integer = false; text.append("e")
                        if j + 1 < s.count, s[j + 1] == "+" || s[j + 1] == "-" { j += 1; text.unicodeScalars.append(s[j]) }
                    } else { break }
                    j += 1
                }
                guard let v = Double(text) else { throw fail("a malformed number `\(text)`") }
                tokens.append(PythonToken(kind: .number(v, integer: integer), line: line))
                i = j
            default:
                if c.properties.isAlphabetic || c == "_" {
                    var j = i
                    var name = ""
                    while j < s.count, s[j].properties.isAlphabetic || s[j] == "_" || ("0"..."9").contains(s[j]) {
                        name.unicodeScalars.append(s[j]); j += 1
                    }
                    // String prefixes: r'', b'', u'', f'' and their pairs.
                    if j < s.count, s[j] == "'" || s[j] == "\"", name.count <= 2,
                       name.lowercased().allSatisfy({ "rbuf".contains($0) }) {
                        let lower = name.lowercased()
                        let (value, next, lines) = try string(s, from: j, raw: lower.contains("r"), file: file, line: line)
                        tokens.append(PythonToken(kind: .string(value, formatted: lower.contains("f")), line: line))
                        line += lines
                        i = next
                        continue
                    }
                    tokens.append(PythonToken(kind: .name(name), line: line))
                    i = j
                    continue
                }
                let two = peek(1).map { String(c) + String($0) } ?? ""
                if ["**", "//", "==", "!=", "<=", ">=", "->", ":=", "+=", "-=", "*=", "/="].contains(two) {
                    tokens.append(PythonToken(kind: .op(two), line: line))
                    i += 2
                    continue
                }
                if "([{".unicodeScalars.contains(c) {
                    depth += 1
                    guard depth <= RecipeLimits.maxNesting else {
                        throw fail("brackets nest deeper than the limit of \(RecipeLimits.maxNesting) levels")
                    }
                } else if ")]}".unicodeScalars.contains(c) {
                    depth = max(0, depth - 1)
                }
                tokens.append(PythonToken(kind: .op(String(c)), line: line))
                i += 1
            }
        }
        if let last = tokens.last, last.kind != .newline { tokens.append(PythonToken(kind: .newline, line: line)) }
        tokens.append(PythonToken(kind: .end, line: line))
        return tokens
    }

    /// A quoted string starting at `start` (single, double or triple quotes): its value, the index after it and
    /// the newlines it spans.
    private static func string(_ s: [Unicode.Scalar], from start: Int, raw: Bool, file: String, line: Int) throws -> (String, Int, Int) {
        let q = s[start]
        let triple = start + 2 < s.count && s[start + 1] == q && s[start + 2] == q
        var i = start + (triple ? 3 : 1)
        var out = String.UnicodeScalarView()
        var lines = 0
        while i < s.count {
            let c = s[i]
            if c == q {
                if !triple { return (String(out), i + 1, lines) }
                if i + 2 < s.count, s[i + 1] == q, s[i + 2] == q { return (String(out), i + 3, lines) }
            }
            if c == "\n" {
                guard triple else { break }
                lines += 1
            }
            if c == "\\", i + 1 < s.count {
                let n = s[i + 1]
                if raw { out.append(c); out.append(n) } else {
                    switch n {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "\n": lines += 1
                    default: out.append(n)
                    }
                }
                if n == "\n" && raw { lines += 1 }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        throw RecipeError(file: file, line: line, key: "", message: "a string that is not closed on its line")
    }
}
