/// Training made no progress: every step of the run, or every step since `max_fruitless_reloads` reloads of the
/// last good checkpoint, was non-finite. A runtime failure (exit 1); the message names the last good checkpoint.
public struct TrainingDiverged: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    /// The newest checkpoint known to hold a good state, when there is one.
    public let lastGood: String?

    public init(_ message: String, lastGood: String?) {
        self.message = message
        self.lastGood = lastGood
    }

    public var description: String { message }
}
