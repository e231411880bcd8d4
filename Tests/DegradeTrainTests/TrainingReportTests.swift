import Foundation
import Testing
@testable import DegradeTrain

@Suite struct TrainingReportPages {
    /// 20 training lines with falling losses, validation every 5, an extra metric, and a line cut off mid-write.
    func syntheticMetrics() -> String {
        var lines: [String] = []
        for i in 1...20 {
            let loss = 0.2 / Double(i)
            lines.append(#"{"iteration": \#(i), "loss_pix": \#(loss), "loss_clean": \#(loss / 2), "loss_total": \#(1.5 * loss), "lr": \#(i < 5 ? 1e-4 * Double(i) / 5 : 1e-4), "skipped": \#(i >= 12 ? 1 : 0), "grad_norm": \#(0.5 + Double(i % 3)), "seconds": 0.8, "keys": ["a@pan"], "poisoned": false, "ema_gap": \#(Double(i) * 0.01)}"#)
            if i % 5 == 0 {
                lines.append(#"{"iteration": \#(i), "val_psnr": \#(24 + Double(i) / 10), "val_ssim": 0.7, "bicubic_psnr": 25.0}"#)
            }
        }
        return lines.joined(separator: "\n") + "\n" + #"{"iteration": 21, "loss_pix": 0.00"#
    }

    @Test func parsesNumericFieldsAndSkipsThePartialLastLine() {
        let m = TrainingMetrics.parse(syntheticMetrics())
        #expect(m.records.count == 24)
        #expect(m.ignoredLines == 1)
        #expect(m.series("val_psnr").map(\.x) == [5, 10, 15, 20])
        #expect(m.series("loss_pix").count == 20)
        #expect(m.series("skipped").last?.y == 1)
        #expect(!m.keys.contains("keys") && !m.keys.contains("poisoned"))  // arrays and booleans are not plotted
        #expect(m.keys.contains("ema_gap"))
    }

    @Test func pageHasTheExpectedCharts() throws {
        let dir = NSTemporaryDirectory() + "report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try syntheticMetrics().write(toFile: dir + "/metrics.jsonl", atomically: true, encoding: .utf8)
        let m = try TrainingReport.write(metricsPath: dir + "/metrics.jsonl", to: dir + "/training.html", title: "run <1>")
        #expect(m.records.count == 24)
        let html = try String(contentsOfFile: dir + "/training.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("run &lt;1&gt;"))
        #expect(!html.contains("<script") && !html.contains("http-equiv") && !html.contains("src="))  // self-contained
        let charts = TrainingReport.charts(for: m)
        #expect(charts.map(\.title) == ["Losses", "Validation PSNR (dB, Y)", "Validation SSIM (Y)", "Learning rate",
                                        "Skipped steps (cumulative)", "Gradient norm", "Seconds", "ema_gap"])
        #expect(charts[0].logScale && charts[0].keys == ["loss_clean", "loss_pix", "loss_total"])
        #expect(html.components(separatedBy: "<svg").count - 1 == charts.count)
        // The bicubic baseline is the only dashed polyline.
        let dashedLines = html.components(separatedBy: "<polyline").filter { $0.contains("stroke-dasharray") }
        #expect(dashedLines.count == 1)
        #expect(html.contains("1 unreadable line"))
    }

    @Test func logScalePlacesFallingLossesDownward() throws {
        let m = TrainingMetrics.parse(syntheticMetrics())
        let svg = TrainingReport.svg(.init(title: "L", keys: ["loss_pix"], logScale: true), m)
        let points = try #require(svg.components(separatedBy: "points=\"").dropFirst().first?.split(separator: "\"").first)
        let ys = points.split(separator: " ").map { Double($0.split(separator: ",")[1])! }
        #expect(ys.count == 20)
        #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 < $1 })  // SVG y grows downward as the loss falls
        // loss ∝ 1/i in log scale: equal ratios give equal steps (i = 1→2 and 10→20 span the same height).
        #expect(abs((ys[1] - ys[0]) - (ys[19] - ys[9])) < 0.05)
    }

    @Test func emptyAndMissingFiles() throws {
        let empty = TrainingMetrics.parse("")
        #expect(TrainingReport.html(empty).contains("No metrics yet"))
        #expect(throws: (any Error).self) { try TrainingMetrics.read("/nonexistent/metrics.jsonl") }
    }
}
