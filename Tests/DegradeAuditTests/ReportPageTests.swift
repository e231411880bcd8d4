import DegradeEngine
import Foundation
import Testing
@testable import DegradeAudit

@Suite struct ReportFiles {
    static func occurrences(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func htmlHasOneSVGPerHistogramAndNoURLs() throws {
        let report = try Audit(recipe: try AuditFixtures.smallRecipe(), samples: 200).run()
        let html = ReportPage.html(report)
        #expect(Self.occurrences("<svg", in: html) == report.parameters[0].quantities.count)
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<script") && !html.contains("src="))
        #expect(report.comparison == nil && report.passed)
    }

    @Test func twoRecipesShareOneOverlaidHistogramPerQuantity() throws {
        let a = try AuditFixtures.smallRecipe(), b = try AuditFixtures.smallRecipe(name: "loud", noise: "[20, 30]")
        let report = try Audit(recipe: a, recipe2: b, samples: 300).run()
        let c = try #require(report.comparison)
        #expect(c.mode == .recipes)
        #expect(c.differingEntries.contains { $0.at == "pipeline[2].noise" && $0.name == "sigma" })
        #expect(report.passed, "differences between two recipes are information, not failures")
        let html = ReportPage.html(report)
        let ids = Set(report.parameters.flatMap { $0.quantities.map { "\($0.at) \($0.name)" } })
        #expect(Self.occurrences("<svg", in: html) == ids.count)
        #expect(html.contains("class=\"bad\""))
        // Shared bins: the same edges on both sides.
        let sa = try #require(report.parameters[0].quantities.first { $0.at == "pipeline[2].noise" && $0.name == "sigma" })
        let sb = try #require(report.parameters[1].quantities.first { $0.at == "pipeline[2].noise" && $0.name == "sigma" })
        #expect(sa.histogram.edges == sb.histogram.edges)
        #expect(report.table().contains("differs"))
    }

    @Test func writesJSONThatDecodesAndAnHTMLPage() throws {
        let dir = try AuditFixtures.tempDir("report")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try Audit(recipe: try AuditFixtures.smallRecipe(), samples: 100, seed: 4).run()
        try report.write(to: dir)
        let decoded = try JSONDecoder().decode(AuditReport.self, from: Data(contentsOf: URL(fileURLWithPath: "\(dir)/report.json")))
        #expect(decoded.samples == 100 && decoded.seed == 4)
        #expect(decoded.recipe == report.recipe)
        #expect(decoded.parameters[0].quantities == report.parameters[0].quantities)
        let html = try String(contentsOfFile: "\(dir)/report.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["report.json", "report.html"])
    }

    @Test func histogramsGiveIntegersTheirOwnBins() {
        let h = Histogram.continuous([30, 31, 31, 95], bins: 100)
        #expect(h.counts.count == 66 && h.total == 4 && h.counts[1] == 2)
        let c = Histogram.continuous([0, 0.5, 0.9, 1.5, 3], bins: 3)
        #expect(c.counts == [3, 1, 1] && c.edges == [0, 1, 2, 3], "the maximum falls in the last bin")
        let cat = Histogram.categorical(["b", "a", "b"], order: ["a", "c"])
        #expect(cat.labels == ["a", "c", "other"] && cat.counts == [1, 0, 2])
    }
}
