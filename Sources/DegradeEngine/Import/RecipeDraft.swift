/// A recipe being assembled by `degrade recipe import`: keys and ops with the YAML text of each value and a
/// comment saying where it came from, written out as a commented recipe file.
struct RecipeDraft {
    struct Field {
        var key: String
        var value: String
        var comment: String
    }
    indirect enum Item {
        case op(name: String, fields: [Field], comment: String)
        case bare(name: String, comment: String)
        case shuffle(groups: [[Item]], comment: String)
    }

    var header: [String] = []
    var top: [Field] = []
    var pipeline: [Item] = []

    mutating func set(_ key: String, _ value: String, _ comment: String) {
        if let i = top.firstIndex(where: { $0.key == key }) { top[i] = Field(key: key, value: value, comment: comment) } else {
            top.append(Field(key: key, value: value, comment: comment))
        }
    }

    var text: String {
        var out = header.map { "# \($0)" }
        for f in top { out.append(line("\(f.key): \(f.value)", f.comment)) }
        out.append("")
        out.append("pipeline:")
        for item in pipeline { emit(item, col: 2, dash: "- ", into: &out) }
        return out.joined(separator: "\n") + "\n"
    }

    private func line(_ text: String, _ comment: String) -> String {
        comment.isEmpty ? text : text.padding(toLength: max(text.count, 44), withPad: " ", startingAt: 0) + "  # " + comment
    }

    private func emit(_ item: Item, col: Int, dash: String, into out: inout [String]) {
        let pad = String(repeating: " ", count: col)
        switch item {
        case let .bare(name, comment):
            out.append(line(pad + dash + name, comment))
        case let .op(name, fields, comment):
            out.append(line(pad + dash + name + ":" + (fields.isEmpty ? " {}" : ""), comment))
            let inner = String(repeating: " ", count: col + dash.count + 2)
            for f in fields { out.append(line(inner + "\(f.key): \(f.value)", f.comment)) }
        case let .shuffle(groups, comment):
            out.append(line(pad + dash + "shuffle:", comment))
            let c = col + dash.count + 2
            for g in groups {
                if g.count == 1 {
                    emit(g[0], col: c, dash: "- ", into: &out)
                } else {
                    for (k, item) in g.enumerated() { emit(item, col: c, dash: k == 0 ? "- - " : "  - ", into: &out) }
                }
            }
        }
    }

    // MARK: YAML values

    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }

    static func name(_ s: String) -> String {
        let plain = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) } && Double(s) == nil
            && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(s.lowercased())
        if plain { return s }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
}
