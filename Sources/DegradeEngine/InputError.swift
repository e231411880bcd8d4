/// The user asked for something that cannot be done as stated (bad option combination, unknown clip key,
/// output folder in the way): exit status 2, with the message saying what was expected.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
