import Foundation

/// `degrade recipe import`: a BasicSR / Real-ESRGAN option YAML or an mmedit 0.x / mmagic 1.x Python config
/// turned into an equivalent degrade recipe, plus a report of how every key was treated. Python configs are read
/// as literals (`PythonConfig`), never executed.
public struct RecipeImport: Sendable {
    public enum Status: String, Sendable {
        case exact = "exact"
        case different = "different"
        case unsupported = "not supported"
    }

    /// One key (or pipeline step) of the source and what became of it.
    public struct Note: Sendable, Equatable {
        public var status: Status
        public var file: String
        public var line: Int?
        public var key: String
        /// Where it went in the recipe, or why not.
        public var detail: String
    }

    /// Which reference format the file was read as.
    public var format: String
    public var source: String
    /// The recipe YAML, commented with each value's origin; it parses (checked before it is returned).
    public var recipeText: String
    public var notes: [Note]

    public static func run(_ path: String) throws -> RecipeImport {
        let lower = path.lowercased()
        var result: RecipeImport
        if lower.hasSuffix(".py") {
            result = try MMEditImport.run(path)
        } else if lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") {
            result = try BasicSRImport.run(path)
        } else {
            throw InputError("\(path): expected a BasicSR / Real-ESRGAN option file (.yml, .yaml) or an mmedit / mmagic config (.py)")
        }
        do {
            _ = try RecipeParser.parse(result.recipeText, file: "<recipe imported from \(path)>")
        } catch let e as RecipeError {
            // The recipe line's comment names where the value came from in the source.
            let lines = result.recipeText.split(separator: "\n", omittingEmptySubsequences: false)
            var origin: Substring?
            if let n = e.line, n >= 1, n <= lines.count, let mark = lines[n - 1].range(of: "  # ") {
                origin = lines[n - 1][mark.upperBound...]
            }
            throw InputError("\(path): the imported recipe is not valid — a value of the source is outside what degrade accepts: \(e.key): \(e.message)\(e.allowed.map { " (allowed: \($0))" } ?? "")\(origin.map { "; the value came from \($0)" } ?? "")")
        }
        result.notes.sort { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        return result
    }

    /// The report: one line per key, grouped by status.
    public var report: String {
        var out = ["import of \(source) (\(format))"]
        for status in [Status.exact, .different, .unsupported] {
            let group = notes.filter { $0.status == status }
            out.append("")
            out.append("\(status.rawValue): \(group.count)")
            for n in group {
                let at = n.line.map { "\(n.file):\($0)" } ?? n.file
                out.append("  \(at): \(n.key) — \(n.detail)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// Collects notes while an importer runs.
struct ImportNotes {
    var notes: [RecipeImport.Note] = []
    mutating func add(_ status: RecipeImport.Status, _ file: String, _ line: Int?, _ key: String, _ detail: String) {
        notes.append(.init(status: status, file: file, line: line, key: key, detail: detail))
    }
}
