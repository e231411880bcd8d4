import DegradeOps
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
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw InputError("\(source): not a valid degradation plan: \(locateUndecodable(data))")
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
            let detail = context.debugDescription
            // "Cannot initialize KernelType from invalid String value box": name the allowed values.
            if let r = detail.range(of: "from invalid String value "), let type = detail.split(separator: " ").dropFirst(2).first,
               let allowed = allowedValues[String(type)] {
                return "plan \(path(context.codingPath)): unknown value `\(detail[r.upperBound...])`, expected one of \(allowed.joined(separator: ", "))"
            }
            return "plan \(path(context.codingPath)): \(detail)"
        @unknown default:
            return "unreadable"
        }
    }

    /// Foundation's decoder reports both bad JSON and a number its field cannot hold (1.5 or 1e30 for an integer) as
    /// "not valid JSON" without a path: tell them apart and find the place.
    static func locateUndecodable(_ data: Data) -> String {
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo["NSDebugDescription"] as? String ?? ""
            if let r = detail.range(of: #"character \d+"#, options: .regularExpression),
               let offset = Int(detail[r].dropFirst("character ".count)) {
                let before = data.prefix(offset)
                let line = before.filter { $0 == 0x0A }.count + 1
                let column = before.count - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
                return "the file is not JSON: invalid value at line \(line), column \(column) (NaN and infinity are not JSON numbers)"
            }
            return detail.hasPrefix("Number ") ? "the file is not JSON: \(detail)" : "the file is not JSON"
        }
        if let (path, value) = nonInteger(in: tree, path: "", integerField: false) {
            return "plan \(path): \(value) is not an integer this field can hold"
        }
        return "a value does not fit its field"
    }

    /// Fields (or lists of them) that hold integers.
    static let integerFields: Set<String> = ["size", "padTo", "qualities", "bitrate", "quality", "width", "height", "x", "y",
                                             "frameCount", "sourceFrames", "kernelSize", "lqX", "lqY", "gtSize", "scale", "seed", "order", "sampleVersion"]

    static func nonInteger(in value: Any, path: String, integerField: Bool) -> (String, String)? {
        if let d = value as? [String: Any] {
            for key in d.keys.sorted() {
                if let found = nonInteger(in: d[key]!, path: path.isEmpty ? key : "\(path).\(key)", integerField: integerFields.contains(key)) {
                    return found
                }
            }
        } else if let a = value as? [Any] {
            for (i, v) in a.enumerated() {
                if let found = nonInteger(in: v, path: "\(path)[\(i)]", integerField: integerField) { return found }
            }
        } else if integerField, let n = value as? NSNumber, !(value is Bool) {
            let v = n.doubleValue
            if v != v.rounded() || abs(v) >= 9.2e18 || (path == "seed" && v < 0) { return (path, "\(n)") }
        }
        return nil
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

    /// The named values a plan's enumerations accept.
    static let allowedValues: [String: [String]] = [
        "KernelType": KernelType.allCases.map(\.rawValue), "Interpolation": Interpolation.allCases.map(\.rawValue),
        "ResizeMode": ResizeMode.allCases.map(\.rawValue), "NoiseType": NoiseType.allCases.map(\.rawValue),
        "VideoCodec": VideoCodec.allCases.map(\.rawValue),
    ]

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
