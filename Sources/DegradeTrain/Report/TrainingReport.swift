import DegradeRender
import DegradeMedia
import Foundation

/// The numeric content of a training run's `metrics.jsonl`: one record per line that parsed.
///
/// Training lines carry `iteration`, `loss_pix`, `loss_clean`, `loss_total`, `lr`, `skipped` (cumulative),
/// `grad_norm`, `seconds`; validation lines carry `iteration`, `val_psnr`, `val_ssim`, `bicubic_psnr`, `val_niqe`. Any other
/// numeric key is kept too. Lines that are not a JSON object with a numeric `iteration` (e.g. the half-written last
/// line of a crashed run) are counted in `ignoredLines` and otherwise skipped.
public struct TrainingMetrics: Sendable, Equatable {
    /// Numeric fields of each accepted line, in file order.
    public var records: [[String: Double]]
    /// Lines that could not be read as a record.
    public var ignoredLines: Int

    public init(records: [[String: Double]] = [], ignoredLines: Int = 0) {
        self.records = records
        self.ignoredLines = ignoredLines
    }

    /// Parses JSON-lines text (blank lines are not counted as ignored).
    public static func parse(_ text: String) -> TrainingMetrics {
        var result = TrainingMetrics()
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                result.ignoredLines += 1
                continue
            }
            var record: [String: Double] = [:]
            for (key, value) in object {
                // JSON booleans decode as NSNumber too (objCType "c"); only genuine numbers are plotted.
                guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { continue }
                record[key] = number.doubleValue
            }
            guard record["iteration"] != nil else {
                result.ignoredLines += 1
                continue
            }
            result.records.append(record)
        }
        return result
    }

    /// Reads and parses `path`.
    public static func read(_ path: String) throws -> TrainingMetrics {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WriteError(path, "cannot read the metrics file")
        }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// `(iteration, value)` of every record that has `key`, in file order.
    public func series(_ key: String) -> [(x: Double, y: Double)] {
        records.compactMap { r in r[key].flatMap { v in r["iteration"].map { ($0, v) } } }
    }

    /// Every numeric key except `iteration`, sorted.
    public var keys: [String] {
        Array(Set(records.flatMap(\.keys)).subtracting(["iteration"])).sorted()
    }
}

/// `training.html`: a self-contained page of inline SVG line charts of a run's metrics.
public enum TrainingReport {
    /// One chart: the series it draws and how.
    struct Chart {
        var title: String
        var keys: [String]
        var logScale: Bool
        var dashed: Set<String> = []
    }

    /// Charts in page order: losses (log y), validation PSNR with the bicubic baseline dashed, SSIM, NIQE, learning rate,
    /// skipped steps, gradient norm (log y), step time, then one chart per remaining numeric key.
    static func charts(for metrics: TrainingMetrics) -> [Chart] {
        let keys = metrics.keys
        var used: Set<String> = []
        var charts: [Chart] = []
        func add(_ title: String, _ wanted: [String], log: Bool = false, dashed: Set<String> = []) {
            let present = wanted.filter { keys.contains($0) && !used.contains($0) }
            guard !present.isEmpty else { return }
            used.formUnion(present)
            charts.append(Chart(title: title, keys: present, logScale: log, dashed: dashed))
        }
        add("Losses", keys.filter { $0.hasPrefix("loss_") }, log: true)
        add("Validation PSNR (dB, Y)", ["val_psnr", "bicubic_psnr"], dashed: ["bicubic_psnr"])
        add("Validation SSIM (Y)", ["val_ssim", "bicubic_ssim"], dashed: ["bicubic_ssim"])
        add("Validation NIQE (lower is more natural)", ["val_niqe"])
        add("Learning rate", ["lr"])
        add("Skipped steps (cumulative)", ["skipped"])
        add("Gradient norm", ["grad_norm"], log: true)
        add("Seconds", ["seconds"])
        for key in keys where !used.contains(key) { add(key, [key]) }
        return charts
    }

    /// The page for `metrics`.
    public static func html(_ metrics: TrainingMetrics, title: String = "Training") -> String {
        let last = metrics.records.last?["iteration"].map { String(format: "%.0f", $0) } ?? "–"
        var body = "<h1>\(escape(title))</h1>\n<p>\(metrics.records.count) records, last iteration \(last)"
        if metrics.ignoredLines > 0 { body += "; \(metrics.ignoredLines) unreadable line(s) ignored (e.g. cut off by a crash)" }
        body += ".</p>\n"
        let charts = charts(for: metrics)
        if charts.isEmpty { body += "<p>No metrics yet.</p>\n" }
        for chart in charts { body += svg(chart, metrics) + "\n" }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}svg{display:block;margin:12px 0 28px}\
            text{font:11px system-ui,sans-serif;fill:#444}.t{font-size:13px;font-weight:600;fill:#222}</style></head>
            <body>
            \(body)</body></html>

            """
    }

    /// Reads `metricsPath` and writes the page atomically to `htmlPath` (readers never see a half-written page).
    @discardableResult
    public static func write(metricsPath: String, to htmlPath: String, title: String = "Training") throws -> TrainingMetrics {
        let metrics = try TrainingMetrics.read(metricsPath)
        try AtomicFile.write(Array(html(metrics, title: title).utf8), to: htmlPath, durable: false)
        return metrics
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// An inline SVG line chart; in log scale, non-positive values are left out (log10 is undefined there).
    static func svg(_ chart: Chart, _ metrics: TrainingMetrics) -> String {
        let width = 760.0, height = 260.0, left = 70.0, right = 150.0, top = 28.0, bottom = 34.0
        let plotW = width - left - right, plotH = height - top - bottom
        let transform: (Double) -> Double = chart.logScale ? { log10($0) } : { $0 }
        let series = chart.keys.map { key in
            (key, metrics.series(key).filter { $0.y.isFinite && (!chart.logScale || $0.y > 0) }.map { ($0.x, transform($0.y)) })
        }
        let points = series.flatMap(\.1)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        out += "<text class=\"t\" x=\"\(left)\" y=\"16\">\(escape(chart.title))\(chart.logScale ? " (log scale)" : "")</text>"
        out += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#bbb\"/>"
        guard let x0 = points.map(\.0).min(), let x1 = points.map(\.0).max(),
              var y0 = points.map(\.1).min(), var y1 = points.map(\.1).max() else {
            return out + "<text x=\"\(left + 10)\" y=\"\(top + 20)\">no values</text></svg>"
        }
        if y1 - y0 < 1e-12 { y0 -= 0.5; y1 += 0.5 }  // a flat line sits mid-chart
        let pad = (y1 - y0) * 0.05
        y0 -= pad; y1 += pad
        let xSpan = max(x1 - x0, 1e-12)
        func px(_ x: Double) -> Double { left + (x1 == x0 ? plotW / 2 : (x - x0) / xSpan * plotW) }
        func py(_ y: Double) -> Double { top + plotH - (y - y0) / (y1 - y0) * plotH }
        // Axis labels: five evenly spaced values (shown as powers of the value in log scale).
        for i in 0...4 {
            let y = y0 + (y1 - y0) * Double(i) / 4
            let label = format(chart.logScale ? pow(10, y) : y)
            out += "<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(r(py(y)))\" y2=\"\(r(py(y)))\" stroke=\"#eee\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(r(py(y) + 4))\" text-anchor=\"end\">\(label)</text>"
            let x = x0 + (x1 - x0) * Double(i) / 4
            out += "<text x=\"\(r(px(x)))\" y=\"\(top + plotH + 16)\" text-anchor=\"middle\">\(format(x))</text>"
        }
        out += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 2)\" text-anchor=\"middle\">iteration</text>"
        for (i, (key, values)) in series.enumerated() {
            let color = palette[i % palette.count]
            let dash = chart.dashed.contains(key) ? " stroke-dasharray=\"6 4\"" : ""
            if values.count == 1 {
                out += "<circle cx=\"\(r(px(values[0].0)))\" cy=\"\(r(py(values[0].1)))\" r=\"3\" fill=\"\(color)\"/>"
            } else if !values.isEmpty {
                let pts = values.map { "\(r(px($0.0))),\(r(py($0.1)))" }.joined(separator: " ")
                out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"\(dash) points=\"\(pts)\"/>"
            }
            let ly = top + 12 + Double(i) * 18
            out += "<line x1=\"\(left + plotW + 10)\" x2=\"\(left + plotW + 34)\" y1=\"\(ly - 4)\" y2=\"\(ly - 4)\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>"
            out += "<text x=\"\(left + plotW + 40)\" y=\"\(ly)\">\(escape(key))</text>"
        }
        return out + "</svg>"
    }

    /// Two decimals of a pixel coordinate keep the page small.
    static func r(_ v: Double) -> String { String(format: "%.2f", v) }

    /// Compact axis numbers: plain for moderate magnitudes, scientific otherwise.
    static func format(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e5 || a < 1e-3 { return String(format: "%.2g", v) }
        if a >= 100 { return String(format: "%.0f", v) }
        return String(format: "%.4g", v)
    }

    static func escape(_ s: String) -> String { HTMLText.escape(s) }
}
