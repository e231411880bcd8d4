import DegradeAudit
import DegradeEngine
import DegradeMedia
import Foundation

extension BenchCommand {
    /// `bench --audit`: seconds for the fresh-plan audit and for --against a synthetic catalog, and peak RSS.
    func runAudit() throws {
        let r = try RecipeParser.load(recipe, overrides: try overrides.overrides())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("degrade-bench-audit-\(ProcessInfo.processInfo.processIdentifier)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try AuditBenchmark(recipe: r, samples: auditSamples, clips: auditClips, seed: seed).run(in: folder) { Console.note($0) }
        print(String(format: "audit %@: %d fresh plans %.1f s (%.0f plans/s)", r.name, result.samples, result.samplesSeconds,
                     Double(result.samples) / max(result.samplesSeconds, 1e-9)))
        print(String(format: "synthetic catalog: %d clips written in %.1f s (%.1f MB, untimed part)", result.clips, result.catalogSeconds,
                     Double(result.catalogBytes) / 1e6))
        print(String(format: "audit --against %d clips: %.1f s, %d tests", result.clips, result.againstSeconds, result.againstTests))
        print(String(format: "peak RSS %.0f MB", Double(result.peakBytes) / 1e6))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(Array(try encoder.encode(result)), to: json)
            Console.note("wrote \(json)")
        }
    }
}
