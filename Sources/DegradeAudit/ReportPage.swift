import DegradeRender
import Foundation

/// `report.html`: one self-contained page — inline CSS and inline SVG histograms, no scripts, no external
/// references — so it can be mailed or archived as a single file.
enum ReportPage {
    public static func html(_ r: AuditReport) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>degrade audit: \(HTMLText.escape(r.recipe.name))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1400px}
            h1{font-size:1.4em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1em;margin:1.2em 0 .3em}
            table{border-collapse:collapse;font-size:13px}td,th{padding:2px 8px;text-align:left;border-bottom:1px solid #eee}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.bad td{background:#fde2e2}.warn{background:#fde2e2;border:2px solid #c0392b;padding:.6em 1em;margin:1em 0;font-weight:600}
            .ok{background:#e3f4e1;border:1px solid #5a9e4f;padding:.6em 1em;margin:1em 0}
            .grid{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #ddd;border-radius:4px;padding:6px 8px;width:300px}
            .card .t{font-weight:600}.card .d{color:#666;font-size:12px}.card .s{font-size:12px;font-variant-numeric:tabular-nums}
            .key span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
            </style></head><body>

            """
        h += "<h1>degrade audit — \(HTMLText.escape(r.recipe.name))</h1>\n<p>"
        h += "Recipe <b>\(HTMLText.escape(r.recipe.name))</b> (\(HTMLText.escape(r.recipe.file)), hash \(r.recipe.hash))"
        if let r2 = r.recipe2 { h += " vs <b>\(HTMLText.escape(r2.name))</b> (\(HTMLText.escape(r2.file)), hash \(r2.hash))" }
        h += ". \(r.samples) fresh plans per recipe, seed \(r.seed). \(HTMLText.escape(r.tool)).</p>\n"
        if let c = r.catalog {
            h += "<p>Rendered set <b>\(HTMLText.escape(c.path))</b>: \(c.clips) clips of recipe \(HTMLText.escape(c.recipeName)) (hash \(c.recipeHash)), seed \(c.seed), \(HTMLText.escape(c.toolVersion))"
            if let f = c.framesOverride { h += ", rendered with --frames \(f)" }
            h += ".</p>\n"
        }
        for w in r.warnings { h += "<div class=\"warn\">⚠ \(HTMLText.escape(w))</div>\n" }
        if let c = r.comparison { h += comparison(c, title: "Parameters compared") }
        if let c = r.imageComparison { h += comparison(c, title: "Image statistics compared") }
        let labels = r.parameters.map(\.label)
        if labels.count == 2 { h += legend(labels) }

        h += "<h2>Parameter statistics</h2>\n"
        h += "<p>Walked values are shown at their first frame (the per-clip draw); <code>…_drift</code> histograms pool |Δ| between consecutive frames. σy and θ cover anisotropic kernels, β generalized and plateau kernels, ω sinc kernels.</p>\n"
        if let a = r.parameters.first {
            let b = r.parameters.count > 1 ? r.parameters[1] : nil
            h += stepsTable(a, b)
            h += cards(a.quantities, b?.quantities)
        }
        if let a = r.images.first {
            let b = r.images.count > 1 ? r.images[1] : nil
            h += "<h2>Image statistics</h2>\n<p>\(a.clips) rendered clips of \(HTMLText.escape(a.label))"
            if let b { h += " and \(b.clips) of \(HTMLText.escape(b.label))" }
            h += ". PSNR/SSIM on BasicSR's Y channel against the bicubic-downscaled GT; noise σ by Immerkær's estimate (8-bit levels); sharpness = variance of the Laplacian; blockiness = 8-px boundary / in-block gradient ratio; bits per pixel of each compression step.</p>\n"
            if b != nil { h += legend(r.images.map(\.label)) }
            h += cards(a.quantities, b?.quantities)
        }
        h += "</body></html>\n"
        return h
    }

    static func legend(_ labels: [String]) -> String {
        var s = "<p class=\"key\">"
        for (i, l) in labels.enumerated() {
            s += "<span style=\"background:\(SVGHistogram.colors[i % 2])\"></span>\(HTMLText.escape(l))"
        }
        return s + " (bars are fractions of each sample)</p>\n"
    }

    static func comparison(_ c: SetComparison, title: String) -> String {
        var s = "<h2>\(title): \(HTMLText.escape(c.labelA)) vs \(HTMLText.escape(c.labelB))</h2>\n"
        let verdict = c.mode == .against ? "mismatch" : "differs"
        if c.differing == 0 {
            s += "<div class=\"ok\">No quantity \(c.mode == .against ? "contradicts the recipe" : "differs") at family-wise α = \(c.alpha) (\(c.tests) tests, Bonferroni: p &lt; \(String(format: "%.3g", c.perTestAlpha)) per test).</div>\n"
        } else {
            let verb = c.mode == .against ? (c.differing == 1 ? "does not match the recipe" : "do not match the recipe") : (c.differing == 1 ? "differs" : "differ")
            s += "<div class=\"warn\">\(c.differing) of \(c.entries.count) quantities \(verb) at family-wise α = \(c.alpha) (\(c.tests) tests, Bonferroni: p &lt; \(String(format: "%.3g", c.perTestAlpha)) per test).</div>\n"
        }
        let smallest = c.entries.filter { $0.result != nil }.map { min($0.countA, $0.countB) }.max() ?? 0
        if smallest < 30 {
            s += "<p>At most \(smallest) clips per test on the smaller side: only large differences can be detected; render more clips for a sharper check.</p>\n"
        }
        s += "<table><tr><th>location</th><th>quantity</th><th>clips A</th><th>clips B</th><th>A</th><th>B</th><th>test</th><th>statistic</th><th>p</th><th></th></tr>\n"
        for e in c.entries {
            let a = e.kind == .continuous ? e.meanA.map(SVGHistogram.format) : e.modeA
            let b = e.kind == .continuous ? e.meanB.map(SVGHistogram.format) : e.modeB
            s += "<tr\(e.differs ? " class=\"bad\"" : "")><td>\(HTMLText.escape(e.at))</td><td>\(HTMLText.escape(e.name))</td>"
            s += "<td class=\"n\">\(e.countA)</td><td class=\"n\">\(e.countB)</td><td>\(HTMLText.escape(a ?? "–"))</td><td>\(HTMLText.escape(b ?? "–"))</td>"
            if let r = e.result {
                s += "<td>\(r.test)</td><td class=\"n\">\(String(format: "%.4g", r.statistic))</td><td class=\"n\">\(String(format: "%.3g", r.pValue))</td>"
            } else {
                s += "<td colspan=\"3\">\(HTMLText.escape(e.note ?? ""))</td>"
            }
            s += "<td>\(e.differs ? "<b>\(verdict)</b>" : "")</td></tr>\n"
        }
        return s + "</table>\n"
    }

    static func stepsTable(_ a: AuditReport.ParameterSection, _ b: AuditReport.ParameterSection?) -> String {
        var s = "<h3>Steps</h3><table><tr><th>location</th><th>op</th><th>applied (\(HTMLText.escape(a.label)))</th>"
        if let b { s += "<th>applied (\(HTMLText.escape(b.label)))</th>" }
        s += "</tr>\n"
        var ats = a.steps.map(\.at)
        for st in b?.steps ?? [] where !ats.contains(st.at) { ats.append(st.at) }
        for at in ats.sorted(by: ParameterStatistics.locationOrder) {
            let sa = a.steps.first { $0.at == at }, sb = b?.steps.first { $0.at == at }
            s += "<tr><td>\(HTMLText.escape(at))</td><td>\(HTMLText.escape((sa ?? sb)!.op))</td>"
            s += "<td class=\"n\">\(rate(sa))</td>"
            if b != nil { s += "<td class=\"n\">\(rate(sb))</td>" }
            s += "</tr>\n"
        }
        return s + "</table>\n"
    }

    static func rate(_ s: AuditReport.StepSummary?) -> String {
        guard let s else { return "–" }
        return String(format: "%.1f%% (%d/%d)", s.rate * 100, s.applied, s.planned)
    }

    /// One card per quantity, grouped by location; a quantity in both samples gets one overlaid histogram.
    static func cards(_ a: [QuantitySummary], _ b: [QuantitySummary]?) -> String {
        var ids: [(String, String)] = a.map { ($0.at, $0.name) }
        for q in b ?? [] where !a.contains(where: { $0.at == q.at && $0.name == q.name }) { ids.append((q.at, q.name)) }
        var s = ""
        var current: String?
        for (at, name) in ids {
            if at != current {
                if current != nil { s += "</div>\n" }
                s += "<h3>\(HTMLText.escape(at))</h3><div class=\"grid\">\n"
                current = at
            }
            let qa = a.first { $0.at == at && $0.name == name }
            let qb = b?.first { $0.at == at && $0.name == name }
            let q = (qa ?? qb)!
            s += "<div class=\"card\"><div class=\"t\">\(HTMLText.escape(name))</div><div class=\"d\">\(HTMLText.escape(q.detail))</div>"
            for (i, x) in [qa, qb].enumerated() {
                guard let x else { continue }
                let tag = b != nil ? "<span style=\"color:\(SVGHistogram.colors[i])\">■</span> " : ""
                s += "<div class=\"s\">\(tag)\(HTMLText.escape(summaryLine(x)))</div>"
            }
            // Quantities in both samples share bins (see AuditReport.summaries), so their bars overlay.
            s += qa != nil && qb != nil ? SVGHistogram.svg(qa!.histogram, qb!.histogram) : SVGHistogram.svg(q.histogram)
            s += "</div>\n"
        }
        if current != nil { s += "</div>\n" }
        return s
    }

    /// One line of numbers for a quantity: n, mean ± sd and the 5/50/95 percentiles, or label shares.
    static func summaryLine(_ q: QuantitySummary) -> String {
        switch q.kind {
        case .continuous:
            guard let m = q.mean else { return "n = \(q.count)" }
            return "n \(q.count)  mean \(SVGHistogram.format(m)) ± \(SVGHistogram.format(q.std ?? 0))  p5 \(SVGHistogram.format(q.p5 ?? m))  median \(SVGHistogram.format(q.median ?? m))  p95 \(SVGHistogram.format(q.p95 ?? m))"
        case .categorical:
            let f = (q.fractions ?? [:]).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let top = f.prefix(4).map { "\($0.key) \(String(format: "%.1f%%", $0.value * 100))" }.joined(separator: ", ")
            return "n \(q.count)  " + top + (f.count > 4 ? ", …" : "")
        }
    }
}
