import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation

/// What an audit needs from a rendered set's catalog, read one plan at a time: a 50 000-clip set holds
/// gigabytes of plan JSON and frame rows, none of which has to be in memory at once.
struct CatalogPlans {
    /// Parameter statistics of the rendered plans.
    var statistics = ParameterStatistics()
    /// The source clips, as the plans describe them (first plan of each clip; enough frames for its span).
    var clips: [ClipInfo] = []
    /// Every recipe hash the plans name.
    var recipeHashes: Set<String> = []

    init(catalog: RenderCatalog, path: String) throws {
        let rows = try catalog.db.prepare("SELECT key, plan FROM clips WHERE status = 'done' ORDER BY key")
        var seen = Set<String>()
        let decoder = JSONDecoder()
        while try rows.step() {
            let row = rows.row()
            let key = row[0].text ?? "?"
            let plan: DegradationPlan
            do {
                plan = try decoder.decode(DegradationPlan.self, from: Data((row[1].text ?? "").utf8))
            } catch {
                throw InputError("\(path): clip \(key): its plan is not a readable degradation plan (\(CatalogPlans.reason(error)))")
            }
            statistics.add(plan)
            recipeHashes.insert(plan.recipeHash)
            if seen.insert(plan.clip).inserted {
                let frames = (plan.sourceFrames.max() ?? 0) + 1
                clips.append(ClipInfo(key: plan.clip, frameCount: max(frames, plan.sourceFrames.count), width: plan.sourceSize.width,
                                      height: plan.sourceSize.height, origin: "as recorded in the catalog"))
            }
        }
    }

    /// A decoding error in a sentence: the JSON path and what was wrong, not Foundation's error dump.
    static func reason(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case let DecodingError.keyNotFound(key, c): return "missing \(path(c.codingPath + [key]))"
        case let DecodingError.typeMismatch(_, c), let DecodingError.valueNotFound(_, c):
            return "\(path(c.codingPath).isEmpty ? "the document" : path(c.codingPath)): \(c.debugDescription)"
        case let DecodingError.dataCorrupted(c): return "not valid JSON at \(path(c.codingPath).isEmpty ? "the top" : path(c.codingPath))"
        default: return "\(error)"
        }
    }
}
