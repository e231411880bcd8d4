/// A checkpoint whose files cannot be trusted: missing or truncated, bits changed since it was written (checksum),
/// non-finite values, tensors that do not fit the network its own config describes. Bad input (exit 2) when a
/// command is given it explicitly; `--resume` and reloads skip it for an older checkpoint and say why.
public struct CheckpointDamage: Error, CustomStringConvertible, Sendable, Equatable {
    /// The checkpoint folder (or the weights file when one was given alone).
    public let checkpoint: String
    /// What is wrong, naming the file.
    public let message: String

    public init(checkpoint: String, _ message: String) {
        self.checkpoint = checkpoint
        self.message = message
    }

    public var description: String { message }
}
