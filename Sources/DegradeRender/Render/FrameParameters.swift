import DegradeEngine
import DegradeMedia
import Foundation

/// The parameters one frame was degraded with, for the catalog's `frames.params`: per applied step its location,
/// op and every value of `PlanStep.parameters(frame:)` under its name — categorical values as strings, numbers as
/// numbers, sizes as `{width, height}`.
struct FrameParameters: Encodable, Sendable, Equatable {
    public struct Step: Encodable, Sendable, Equatable {
        public var at: String
        public var op: String
        public var parameters: [StepParameter]

        typealias Key = NamedCodingKey

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(at, forKey: Key("at"))
            try c.encode(op, forKey: Key("op"))
            for p in parameters where p.name != "at" && p.name != "op" {
                let key = Key(p.name)
                switch p.value {
                case .choice(let s): try c.encode(s, forKey: key)
                case .number(let v): try c.encode(v, forKey: key)
                case .integer(let i): try c.encode(i, forKey: key)
                case .size(let s): try c.encode(s, forKey: key)
                case .numbers(let v): try c.encode(v, forKey: key)
                }
            }
        }
    }

    public var steps: [Step]

    public init(plan: DegradationPlan, frame t: Int) {
        steps = plan.steps.filter(\.applied).map { Step(at: $0.at, op: $0.name, parameters: $0.parameters(frame: t)) }
    }

    public func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? String(decoding: e.encode(self), as: UTF8.self)) ?? "{}"
    }
}
