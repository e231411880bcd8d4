import Foundation

extension AuditReport {
    /// The short terminal summary: step application rates and per-clip quantities (drift and image details
    /// stay in the report files), then the comparison verdict with the differing quantities.
    public func table() -> String {
        var out = ""
        let a = parameters[0]
        let b = parameters.count > 1 ? parameters[1] : nil
        out += "recipe \(recipe.name) (hash \(recipe.hash)): \(a.plans) plans, seed \(seed)"
        if let b { out += "; B = \(b.label): \(b.plans) plans" }
        out += "\n\n"
        var rows: [[String]] = [b == nil ? ["location", "quantity", "n", "mean | top", "p5", "median", "p95"]
                                         : ["location", "quantity", "A: mean | top", "B: mean | top", "p", ""]]
        let entries = Dictionary((comparison?.entries ?? []).map { ("\($0.at) \($0.name)", $0) }, uniquingKeysWith: { x, _ in x })
        for q in a.quantities where !q.name.hasSuffix("_drift") {
            let other = b?.quantities.first { $0.at == q.at && $0.name == q.name }
            if b != nil {
                let e = entries["\(q.at) \(q.name)"]
                rows.append([q.at, q.name, AuditReport.cell(q), other.map(AuditReport.cell) ?? "–",
                             e?.result.map { String(format: "%.2g", $0.pValue) } ?? "",
                             e?.differs == true ? (comparison?.mode == .against ? "MISMATCH" : "differs") : ""])
            } else if q.kind == .continuous {
                rows.append([q.at, q.name, String(q.count), AuditReport.num(q.mean), AuditReport.num(q.p5), AuditReport.num(q.median), AuditReport.num(q.p95)])
            } else {
                rows.append([q.at, q.name, String(q.count), AuditReport.cell(q), "", "", ""])
            }
        }
        // Differing quantities that the rows above do not show (drift, or only in B).
        let shown = Set(a.quantities.filter { !$0.name.hasSuffix("_drift") }.map { "\($0.at) \($0.name)" })
        for e in comparison?.entries ?? [] where e.differs && !shown.contains("\(e.at) \(e.name)") {
            rows.append([e.at, e.name, e.meanA.map { AuditReport.num($0) } ?? e.modeA ?? "–", e.meanB.map { AuditReport.num($0) } ?? e.modeB ?? "–",
                         e.result.map { String(format: "%.2g", $0.pValue) } ?? "", comparison?.mode == .against ? "MISMATCH" : "differs"])
        }
        out += AuditReport.aligned(rows)
        for section in images {
            out += "\nimages: \(section.clips) rendered clips of \(section.label)\n"
            var r: [[String]] = [["location", "quantity", "n", "mean | top", "p5", "median", "p95"]]
            for q in section.quantities {
                r.append(q.kind == .continuous
                         ? [q.at, q.name, String(q.count), AuditReport.num(q.mean), AuditReport.num(q.p5), AuditReport.num(q.median), AuditReport.num(q.p95)]
                         : [q.at, q.name, String(q.count), AuditReport.cell(q), "", "", ""])
            }
            out += AuditReport.aligned(r)
        }
        for c in [comparison, imageComparison].compactMap({ $0 }) {
            out += "\n"
            if c.mode == .against {
                out += c.differing == 0
                    ? "PASS: \(c.labelB) matches \(c.labelA) (\(c.tests) tests, family-wise α = \(c.alpha))\n"
                    : "FAIL: \(c.differing) \(c.differing == 1 ? "quantity" : "quantities") of \(c.labelB) \(c.differing == 1 ? "does" : "do") not match \(c.labelA) (\(c.tests) tests, family-wise α = \(c.alpha))\n"
            } else {
                let structural = c.entries.filter { $0.differs && $0.result == nil }.count
                out += "\(c.differing) of \(c.entries.count) quantities differ between \(c.labelA) and \(c.labelB): "
                    + "\(c.differing - structural) of \(c.tests) tests at family-wise α = \(c.alpha)"
                    + (structural > 0 ? ", and \(structural) steps are in only one of them" : "") + "\n"
            }
        }
        for w in warnings { out += "\nWARNING: \(w)\n" }
        return out
    }

    static func num(_ v: Double?) -> String {
        guard let v else { return "–" }
        return SVGHistogram.format(v)
    }

    static func cell(_ q: QuantitySummary) -> String {
        if q.kind == .continuous { return num(q.mean) }
        guard let m = q.mode else { return "–" }
        return "\(m.label) \(String(format: "%.1f%%", m.fraction * 100))"
    }

    /// Left-aligned columns separated by two spaces.
    static func aligned(_ rows: [[String]]) -> String {
        let cols = rows.map(\.count).max() ?? 0
        let widths = (0..<cols).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, s in i == row.count - 1 ? s : s + String(repeating: " ", count: widths[i] - s.count) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}
