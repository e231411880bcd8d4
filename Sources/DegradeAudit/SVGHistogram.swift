import DegradeRender
import Foundation

/// Draws histograms as inline SVG (no external references), one or two samples overlaid as fractions so
/// samples of different sizes compare directly.
enum SVGHistogram {
    static let colors = ["#3b6fb6", "#e08a1e"]

    static func svg(_ a: Histogram, _ b: Histogram? = nil, width: Int = 300, height: Int = 130) -> String {
        let left = 34.0, right = 6.0, top = 8.0, bottom = 30.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let sets = [a] + (b.map { [$0] } ?? [])
        let fractions = sets.map { h -> [Double] in
            let t = Double(max(1, h.total))
            return h.counts.map { Double($0) / t }
        }
        let peak = max(fractions.flatMap { $0 }.max() ?? 0, 1e-9)
        let bars = max(1, a.counts.count)
        let slot = plotW / Double(bars)
        var out = "<svg width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">"
        // Axes and the peak fraction.
        out += line(left, top + plotH, left + plotW, top + plotH) + line(left, top, left, top + plotH)
        out += text(left - 3, top + 8, String(format: "%.0f%%", peak * 100), anchor: "end")
        out += text(left - 3, top + plotH, "0", anchor: "end")
        for (s, f) in fractions.enumerated() {
            let inset = sets.count == 2 ? (s == 0 ? 0.0 : 0.5) : 0.0
            let w = sets.count == 2 ? slot * 0.5 : slot
            for (i, v) in f.enumerated() where v > 0 {
                let h = plotH * v / peak
                let x = left + Double(i) * slot + inset * slot
                out += String(format: "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%@\" fill-opacity=\"0.85\"/>",
                              x + 0.3, top + plotH - h, max(0.4, w - 0.6), h, colors[s])
            }
        }
        // X labels: bin range for continuous data, category names for categorical.
        if a.labels.isEmpty, let lo = a.edges.first, let hi = a.edges.last {
            out += text(left, top + plotH + 13, format(lo), anchor: "start")
            out += text(left + plotW, top + plotH + 13, format(hi), anchor: "end")
            out += text(left + plotW / 2, top + plotH + 13, format((lo + hi) / 2), anchor: "middle")
        } else {
            let step = max(1, Int((Double(bars) * 42 / plotW).rounded(.up)))
            for (i, l) in a.labels.enumerated() where i % step == 0 {
                let short = l.count > 10 ? String(l.prefix(9)) + "…" : l
                out += text(left + (Double(i) + 0.5) * slot, top + plotH + 13, short, anchor: "middle")
            }
        }
        out += "</svg>"
        return out
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
        String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" stroke-width=\"1\"/>", x1, y1, x2, y2)
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String) -> String {
        String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"%@\" fill=\"#333\">", x, y, anchor) + HTMLText.escape(s) + "</text>"
    }

    /// Compact number for axis labels.
    static func format(_ v: Double) -> String {
        let a = abs(v)
        if a >= 10_000 { return String(format: "%.3g", v) }
        if a >= 100 || v == v.rounded() { return String(format: "%.0f", v) }
        if a >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.3f", v)
    }
}
