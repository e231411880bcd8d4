/// A coding key made from any string, for JSON objects whose keys are data (plan parameters, metrics, option
/// names) rather than a fixed set of cases. One type, so every module that writes or checks such objects agrees.
public struct NamedCodingKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ name: String) { stringValue = name }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
