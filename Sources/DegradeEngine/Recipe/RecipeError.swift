/// A recipe that cannot be used, located precisely: file, line, the key path inside the recipe, what is
/// wrong and what would be accepted. Exit status 2.
public struct RecipeError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var key: String
    public var message: String
    public var allowed: String?

    public init(file: String, line: Int?, key: String, message: String, allowed: String? = nil) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
        self.allowed = allowed
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if !key.isEmpty { s += ": \(key)" }
        s += ": \(message)"
        if let allowed { s += " (allowed: \(allowed))" }
        return s
    }
}
