/// A training failure with a message that says what was expected (bad checkpoint, inconsistent data…).
public struct TrainError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
