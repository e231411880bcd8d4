import Foundation

/// Plans as JSON files: what `degrade plan` prints and `degrade apply --plan` replays.
public enum PlanFile {
    public static func encode(_ plan: DegradationPlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }

    /// Reads, decodes and validates the plan at `path`. Every failure is an `InputError` naming the file and, for
    /// a bad value, its JSON path and what was expected.
    public static func read(_ path: String) throws -> DegradationPlan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw InputError("\(path): cannot read the plan file (\(!exists ? "no such file" : isDirectory.boolValue ? "a folder" : "not readable"))")
        }
        return try decode(data, source: path)
    }

    /// Decodes and validates a plan; `source` names it in errors.
    public static func decode(_ data: Data, source: String) throws -> DegradationPlan {
        let plan: DegradationPlan
        do {
            plan = try JSONDecoder().decode(DegradationPlan.self, from: data)
        } catch let error as DecodingError {
            throw InputError("\(source): not a valid degradation plan: \(describe(error))")
        } catch {
            throw InputError("\(source): not a valid degradation plan: the file is not JSON")
        }
        do {
            try plan.validate()
        } catch let error as InputError {
            throw InputError("\(source): \(error.message)")
        }
        return plan
    }

    /// A decoding failure as `plan <JSON path>: <what was expected>`, without Foundation's internals.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context):
            return "plan \(path(context.codingPath + [key])): missing"
        case let .valueNotFound(type, context):
            return "plan \(path(context.codingPath)): null, expected \(expected(type))"
        case let .typeMismatch(type, context):
            return "plan \(path(context.codingPath)): wrong type, expected \(expected(type))"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty { return "the file is not JSON (\(context.debugDescription.prefix(120)))" }
            return "plan \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }

    /// `steps[3].blur.frames[2].sigmaX`.
    static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let i = key.intValue {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out.isEmpty ? "(top level)" : out
    }

    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is UInt64.Type: "an integer"
        case is Double.Type: "a number"
        case is [Any].Type: "a list"
        default: "\(type)".contains("Array") ? "a list" : "\(type)".contains("Dictionary") || "\(type)".contains("KeyedDecoding") ? "an object" : "a value of type \(type)"
        }
    }
}
