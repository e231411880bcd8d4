/// Vectorised Float Box–Muller for the bulk normal field.
///
/// The log and sine/cosine are our own polynomials on plain `+ − × ÷ √` (never fused, never libm), so a field is
/// bit-identical on every platform and for every lane position, and runs on SIMD registers instead of per-lane libm
/// calls. Accuracy (a few Float ulps) is far below what matters for image noise.
enum BoxMuller {
    /// `(√(−2 ln u₁)·cos 2πu₂, √(−2 ln u₁)·sin 2πu₂)` from raw words:
    /// `u₁ = (Float(w₁ >> 1) + ½)·2⁻³¹ ∈ (0, 1]` (tails reach 6.66σ), `u₂ = (w₂ >> 8)·2⁻²⁴ ∈ [0, 1)`.
    @inline(__always)
    static func transform(_ w1: SIMD16<UInt32>, _ w2: SIMD16<UInt32>) -> (cos: SIMD16<Float>, sin: SIMD16<Float>) {
        let u1 = (float(SIMD16<Int32>(truncatingIfNeeded: w1 &>> 1)) + 0.5) * 0x1p-31
        let radius = (-2 * log(u1)).squareRoot()
        let u2 = float(SIMD16<Int32>(truncatingIfNeeded: w2 &>> 8)) * 0x1p-24
        let (s, c) = sinCosTurns(u2)
        return (radius * c, radius * s)
    }

    /// `Float(x)` lane by lane (one `cvtdq2ps` per eight lanes). Spelled as two eight-lane conversions because the
    /// sixteen-lane one was left as an out-of-line call inside the transform, its vectors spilled around it.
    @inline(__always)
    static func float(_ x: SIMD16<Int32>) -> SIMD16<Float> {
        SIMD16(lowHalf: SIMD8<Float>(x.lowHalf), highHalf: SIMD8<Float>(x.highHalf))
    }

    /// Natural log for normal positive Floats: `x = m·2ᵉ` with `m ∈ [√½, √2)`, `ln m = 2·atanh(f/(2+f))`, `f = m−1`,
    /// the atanh series to s⁹ (|s| ≤ 0.172, relative error < 3e-9 before rounding).
    @inline(__always)
    static func log(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let sqrtHalfBits: SIMD16<Int32> = SIMD16(repeating: 0x3F35_04F3)
        let shifted = unsafeBitCast(x, to: SIMD16<Int32>.self) &- sqrtHalfBits
        let exponent = float(shifted &>> 23)  // arithmetic shift: floor division by 2²³
        let mantissa = unsafeBitCast((shifted & 0x007F_FFFF) &+ sqrtHalfBits, to: SIMD16<Float>.self)
        let f = mantissa - 1
        let s = f / (2 + f)
        let z = s * s
        // 2 + 2z/3 + 2z²/5 + 2z³/7 + 2z⁴/9, Horner form (spelled out: the type checker chokes on one expression).
        var series = z * Float(2.0 / 9) + Float(2.0 / 7)
        series = series * z + Float(2.0 / 5)
        series = series * z + Float(2.0 / 3)
        series = series * z + 2
        return exponent * Float(0.693_147_180_559_945_3) + s * series
    }

    /// `(sin 2πt, cos 2πt)` for t ∈ [0, 1) (24-bit values). The quarter-turn reduction `4t − round(4t)` is exact, then
    /// Taylor polynomials on |x| ≤ π/4 (errors < 2e-9 and 1.2e-10) and a quadrant swap.
    @inline(__always)
    static func sinCosTurns(_ t: SIMD16<Float>) -> (sin: SIMD16<Float>, cos: SIMD16<Float>) {
        // Adding 2²³ rounds 4t ∈ [0, 4) to the nearest integer (ties to even) and leaves it in the low mantissa bits;
        // cheaper than a generic Float→Int SIMD conversion, which Swift does not lower to one instruction.
        let quarters = 4 * t
        let magic = quarters + 0x1p23
        let q = magic - 0x1p23
        let x = (quarters - q) * Float(Double.pi / 2)
        let x2 = x * x
        // sin x = x(1 − x²/3! + x⁴/5! − x⁶/7! + x⁸/9!), cos x = 1 − x²/2! + … − x¹⁰/10!, Horner form.
        var sinP = x2 * Float(1.0 / 362_880) - Float(1.0 / 5040)
        sinP = sinP * x2 + Float(1.0 / 120)
        sinP = sinP * x2 - Float(1.0 / 6)
        sinP = sinP * x2 + 1
        let sinX = x * sinP
        var cosP = x2 * Float(-1.0 / 3_628_800) + Float(1.0 / 40320)
        cosP = cosP * x2 - Float(1.0 / 720)
        cosP = cosP * x2 + Float(1.0 / 24)
        cosP = cosP * x2 - 0.5
        let cosX = cosP * x2 + 1
        // θ = q·π/2 + x: quadrant 1 swaps to (cos, −sin), 2 negates both, 3 gives (−cos, sin). Done with bit masks
        // and sign-bit XORs because SIMDMask selects are lowered to per-lane loops.
        let quadrant = unsafeBitCast(magic, to: SIMD16<Int32>.self) & 3
        let swap = 0 &- (quadrant & 1)  // all ones in odd quadrants
        let sBits = unsafeBitCast(sinX, to: SIMD16<Int32>.self)
        let cBits = unsafeBitCast(cosX, to: SIMD16<Int32>.self)
        let sinSign = (quadrant & 2) &<< 30
        let cosSign = ((quadrant &+ 1) & 2) &<< 30
        let sinT = unsafeBitCast(((sBits & ~swap) | (cBits & swap)) ^ sinSign, to: SIMD16<Float>.self)
        let cosT = unsafeBitCast(((cBits & ~swap) | (sBits & swap)) ^ cosSign, to: SIMD16<Float>.self)
        return (sinT, cosT)
    }
}
