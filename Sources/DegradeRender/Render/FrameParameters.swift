import DegradeEngine
import Foundation

/// The parameters one frame was degraded with, pulled out of a plan for the catalog's `frames.params`.
public struct FrameParameters: Codable, Sendable, Equatable {
    public struct Step: Codable, Sendable, Equatable {
        public var at: String
        public var op: String
        public var kernel: String?
        public var kernelSize: Int?
        public var sigmaX: Double?
        public var sigmaY: Double?
        public var theta: Double?
        public var beta: Double?
        public var omega: Double?
        public var size: FrameDims?
        public var interpolation: String?
        public var noise: String?
        public var gray: Bool?
        public var sigma: Double?
        public var scale: Double?
        public var quality: Int?
        public var codec: String?
        public var bitrate: Int?
    }

    public var steps: [Step]

    public init(plan: DegradationPlan, frame t: Int) {
        steps = plan.steps.filter(\.applied).map { s in
            var o = Step(at: s.at, op: s.op)
            if let b = s.blur {
                let p = b.frames[t]
                o.kernel = b.type.rawValue
                o.kernelSize = b.size
                if b.type == .sinc { o.omega = p.omega } else { o.sigmaX = p.sigmaX; o.sigmaY = p.sigmaY; o.theta = p.theta; o.beta = p.beta }
            }
            if let r = s.resize { o.size = r.sizes[t]; o.interpolation = r.interpolation.rawValue; o.scale = r.scales?[t] }
            if let n = s.noise {
                o.noise = n.type.rawValue
                o.gray = n.gray
                o.sigma = n.sigmas?[t]
                o.scale = n.scales?[t]
            }
            if let j = s.jpeg { o.quality = j.qualities[t] }
            if let v = s.video { o.codec = v.codec.rawValue; o.bitrate = v.bitrate; o.quality = v.quality }
            return o
        }
    }

    public func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? String(decoding: e.encode(self), as: UTF8.self)) ?? "{}"
    }
}

extension FrameParameters.Step {
    init(at: String, op: String) {
        self.at = at
        self.op = op
    }
}
