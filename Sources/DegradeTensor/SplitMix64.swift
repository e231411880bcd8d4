import DegradeHash

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast 64-bit generator fully determined by its seed.
///
/// Initialisers take a generator explicitly so every random tensor is reproducible from a seed; there is no
/// global random state. `state += 0x9E3779B97F4A7C15`, then the output is `state` mixed by two xor-shift-multiply
/// rounds (constants 0xBF58476D1CE4E5B9, 0x94D049BB133111EB) and a final `z ^ (z >> 31)`.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    /// The current state (save it to resume the sequence).
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        // The stepped generator is the finaliser applied to seed + k·increment.
        let out = splitmix64(state)
        state &+= 0x9E37_79B9_7F4A_7C15
        return out
    }
}
