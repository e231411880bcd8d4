/// A recoverable failure, e.g. restoring optimiser state that does not fit the parameters.
struct TensorError: Error, CustomStringConvertible, Equatable {
    /// What was being done, e.g. `"Adam.load"`.
    public let operation: String
    /// What was expected and what was found.
    public let reason: String

    public init(_ operation: String, _ reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(operation): \(reason)" }
}
