/// Aligned plain-text tables for the eval reports: first column left-aligned (names), the rest right-aligned
/// (numbers), two spaces apart; the first row is the header.
enum TextTable {
    static func render(_ lines: [[String]]) -> String {
        guard let header = lines.first else { return "" }
        let widths = header.indices.map { c in lines.map { $0[c].count }.max() ?? 0 }
        return lines.map { cells in
            cells.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return c == 0 ? s + pad : pad + s
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
