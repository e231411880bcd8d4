/// A degradation op was given parameters it cannot apply, or a native library failed while applying it.
public struct OpError: Error, CustomStringConvertible, Sendable, Equatable {
    public let op: String
    public let reason: String

    public init(_ op: String, _ reason: String) {
        self.op = op
        self.reason = reason
    }

    public var description: String { "\(op): \(reason)" }
}
