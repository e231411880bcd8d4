import Foundation

extension Tensor {
    /// Independent uniform samples in `[low, high)`: `low + (high − low)·u`, `u = (next() >> 40)·2⁻²⁴`
    /// (24 random bits, exactly representable in Float), drawn in row-major order.
    public static func uniform<G: RandomNumberGenerator>(_ shape: [Int], low: Float = 0, high: Float = 1,
                                                         using generator: inout G) -> Tensor {
        precondition(low <= high, "Tensor.uniform: low \(low) must be ≤ high \(high)")
        let out = Tensor(uninitialized: shape)
        let p = out.pointer
        for i in 0..<out.count {
            let u = Float(generator.next() >> 40) * 0x1p-24
            p[i] = low + (high - low) * u
        }
        return out
    }

    /// Independent normal samples `mean + std·z`, `z` from the Box–Muller transform in Double:
    /// `u1 = (next() >> 11 + 1)·2⁻⁵³ ∈ (0, 1]`, `u2 = (next() >> 11)·2⁻⁵³`, `r = sqrt(−2 ln u1)`, giving the pair
    /// `r·cos 2πu2`, `r·sin 2πu2`, drawn in row-major order.
    public static func normal<G: RandomNumberGenerator>(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                                        using generator: inout G) -> Tensor {
        precondition(standardDeviation >= 0, "Tensor.normal: standardDeviation must be ≥ 0, got \(standardDeviation)")
        let out = Tensor(uninitialized: shape)
        let p = out.pointer
        var i = 0
        while i < out.count {
            let u1 = Double((generator.next() >> 11) + 1) * 0x1p-53
            let u2 = Double(generator.next() >> 11) * 0x1p-53
            let r = (-2 * log(u1)).squareRoot(), angle = 2 * Double.pi * u2
            p[i] = mean + standardDeviation * Float(r * cos(angle))
            if i + 1 < out.count { p[i + 1] = mean + standardDeviation * Float(r * sin(angle)) }
            i += 2
        }
        return out
    }
}
