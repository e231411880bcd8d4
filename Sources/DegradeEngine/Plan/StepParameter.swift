import Foundation

/// The unit a step parameter is measured in; it decides how the gallery prints the value.
public enum ParameterUnit: String, Sendable, Equatable {
    case none = ""
    case pixels = "px"
    /// A kernel's side in taps, printed `k×k`.
    case taps
    case radians = "rad"
    /// 8-bit levels: a noise σ of 5 means 5/255 on [0, 1] images.
    case levels8 = "/255"
    /// Bits per frame (bit/s of a 1 fps stream), printed in kbit/s.
    case bitsPerFrame = "bit/frame"
}

/// A parameter's value on one frame.
public enum ParameterValue: Sendable, Equatable {
    /// A categorical value: a family, a mode, a codec, a flag.
    case choice(String)
    case number(Double)
    case integer(Int)
    case size(FrameDims)
    case numbers([Double])
}

/// One named value a step used on one frame, with its unit: an entry of `PlanStep.parameters(frame:)`.
public struct StepParameter: Sendable, Equatable {
    /// snake_case key: the catalog's per-frame JSON key and the audit's quantity name.
    public var name: String
    /// Short caption for the gallery (`σx`).
    public var label: String
    public var value: ParameterValue
    public var unit: ParameterUnit
    /// The value drifts from frame to frame (a random walk): the audit records frame 0's value and the drift.
    public var walks: Bool
    /// False for values implied by others or fixed by the recipe (an isotropic kernel's σy = σx): shown and
    /// catalogued, not counted as a statistic of their own.
    public var audited: Bool
    /// One line saying what the value is (the audit's description).
    public var meaning: String

    public init(_ name: String, _ label: String, _ value: ParameterValue, unit: ParameterUnit = .none, walks: Bool = false,
                audited: Bool = true, _ meaning: String) {
        self.name = name
        self.label = label
        self.value = value
        self.unit = unit
        self.walks = walks
        self.audited = audited
        self.meaning = meaning
    }

    /// The value as the gallery prints it, with its unit.
    public var formatted: String {
        switch value {
        case .choice(let s): return unit == .taps ? "\(s)×\(s)" : s
        case .integer(let i):
            switch unit {
            case .taps: return "\(i)×\(i)"
            case .bitsPerFrame: return String(format: "%.1f kbit/s", Double(i) / 1000)
            case .levels8: return "\(i) / 255"
            case .pixels: return "\(i) px"
            case .none, .radians: return "\(i)"
            }
        case .number(let v):
            switch unit {
            case .radians: return String(format: "%.3f rad (%.1f°, %.2fπ)", v, v * 180 / .pi, v / .pi)
            case .levels8: return "\(Self.short(v)) / 255"
            case .bitsPerFrame: return String(format: "%.1f kbit/s", v / 1000)
            case .pixels: return "\(Self.short(v)) px"
            case .none, .taps: return Self.short(v)
            }
        case .size(let s): return "\(s.width)×\(s.height)"
        case .numbers(let v): return v.map { String(format: "%.3g", $0) }.joined(separator: " ")
        }
    }

    /// Whole numbers without decimals, others to 3 places.
    public static func short(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        return String(format: "%.3f", v)
    }
}
