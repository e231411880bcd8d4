#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A square blur kernel, normalised to sum 1, ready for `Convolution`.
///
/// Weights are row-major with row = y: `weights[(y + c) * size + (x + c)]` holds the tap at offset `(x, y)`,
/// `c = (size − 1)/2`, offsets `x, y ∈ −c…c`. Values are computed in Double and stored as Float.
public struct BlurKernel: Sendable, Equatable {
    /// Side length in taps; always odd so the kernel has a centre.
    public let size: Int
    /// `size * size` taps, row-major, row = y.
    public var weights: [Float]
    /// For isotropic Gaussians, 1-D taps `g` with `K(x, y) = g(x)·g(y)` up to Float rounding (centred, unpadded),
    /// so `Convolution.apply` can filter in two 1-D passes; nil for every other kernel.
    private(set) var separableTaps: [Float]? = nil

    /// Samples `shape` on a `size × size` grid, normalises it to sum 1 and optionally zero-pads it (centred) to
    /// `padTo × padTo`, as the reference pipelines do to give every kernel the same 21×21 footprint.
    ///
    /// - Throws: `OpError` when `size` is not odd and ≥ 1, `padTo` is not odd and ≥ `size`, a σ, β or ω is not a
    ///   finite positive number, θ is not finite, or the sampled kernel sums to zero.
    public init(shape: KernelShape, size: Int, padTo: Int? = nil) throws {
        guard size >= 1, size % 2 == 1 else {
            throw OpError("BlurKernel", "kernel size must be odd and ≥ 1, got \(size)")
        }
        if let padTo, padTo < size || padTo % 2 == 0 {
            throw OpError("BlurKernel", "padTo must be odd and ≥ the kernel size \(size), got \(padTo)")
        }
        try Self.validate(shape)
        let raw = Self.sample(shape, size: size)
        let total = raw.reduce(0, +)
        guard total.isFinite, total != 0 else {
            throw OpError("BlurKernel", "kernel \(shape) of size \(size) sums to \(total); it cannot be normalised")
        }
        let normalised = raw.map { Float($0 / total) }
        let separable = Self.isotropicGaussianTaps(shape, size: size)
        guard let padTo, padTo > size else {
            self.init(uncheckedSize: size, weights: normalised)
            separableTaps = separable
            return
        }
        // Zero taps around the original, centred; the sum and the centre tap are unchanged.
        let margin = (padTo - size) / 2
        var padded = [Float](repeating: 0, count: padTo * padTo)
        for row in 0..<size {
            for col in 0..<size {
                padded[(row + margin) * padTo + col + margin] = normalised[row * size + col]
            }
        }
        self.init(uncheckedSize: padTo, weights: padded)
        separableTaps = separable
    }

    /// `exp(−x²/(2σ²))` normalised, for `.gaussian(σ, σ, _)`: the 2-D taps are `exp(−(x²+y²)/(2σ²)) / (Σe)²`,
    /// exactly the outer product of these in real arithmetic.
    private static func isotropicGaussianTaps(_ shape: KernelShape, size: Int) -> [Float]? {
        guard case let .gaussian(sx, sy, _) = shape, sx == sy else { return nil }
        let inverse = 1 / (sx * sx), c = size / 2
        let raw = (0..<size).map { i -> Double in
            let x = Double(i - c)
            return exp(-0.5 * (inverse * x * x))
        }
        let total = raw.reduce(0, +)
        guard total.isFinite, total > 0 else { return nil }
        return raw.map { Float($0 / total) }
    }

    /// A kernel with explicit taps, used as given (no normalisation). Row-major, row = y.
    ///
    /// - Throws: `OpError` when `size` is not odd and ≥ 1 or `weights.count != size * size`.
    public init(size: Int, weights: [Float]) throws {
        guard size >= 1, size % 2 == 1 else {
            throw OpError("BlurKernel", "kernel size must be odd and ≥ 1, got \(size)")
        }
        guard weights.count == size * size else {
            throw OpError("BlurKernel", "expected \(size * size) weights for a \(size)×\(size) kernel, got \(weights.count)")
        }
        self.init(uncheckedSize: size, weights: weights)
    }

    private init(uncheckedSize size: Int, weights: [Float]) {
        self.size = size
        self.weights = weights
    }

    /// `K'ᵢ = Kᵢ·nᵢ / Σⱼ Kⱼ·nⱼ`: the multiplicative kernel noise of the reference code (`noise_range`, unused by
    /// every shipped config). The caller draws the factors (e.g. `U(n0, n1)`), one per tap.
    ///
    /// - Precondition: `factors.count == weights.count` and the product does not sum to zero.
    public func multipliedByNoise(_ factors: [Float]) -> BlurKernel {
        precondition(factors.count == weights.count, "need one noise factor per tap (\(weights.count)), got \(factors.count)")
        let product = zip(weights, factors).map { Double($0) * Double($1) }
        let total = product.reduce(0, +)
        precondition(total.isFinite && total != 0, "kernel × noise sums to \(total); it cannot be renormalised")
        return BlurKernel(uncheckedSize: size, weights: product.map { Float($0 / total) })
    }

    /// OpenCV `getGaussianKernel(size, sigma)`: `gᵢ ∝ exp(−xᵢ² / (2σ²))`, `xᵢ = i − (size−1)/2`, normalised to sum 1.
    ///
    /// `sigma <= 0` selects OpenCV's default `σ = 0.3·((size−1)·0.5 − 1) + 0.8` (8.0 for 51 taps); like OpenCV,
    /// odd sizes ≤ 7 with `sigma <= 0` use its fixed binomial-like tables instead (e.g. `[1/4, 1/2, 1/4]` for 3).
    ///
    /// - Precondition: `size >= 1`.
    public static func gaussian1D(size: Int, sigma: Double) -> [Float] {
        precondition(size >= 1, "Gaussian size must be ≥ 1, got \(size)")
        let raw: [Double]
        if sigma <= 0, size % 2 == 1, size <= 7 {
            raw = smallGaussianTables[size / 2]
        } else {
            let s = sigma > 0 ? sigma : 0.3 * (Double(size - 1) * 0.5 - 1) + 0.8
            let scale = -0.5 / (s * s)
            raw = (0..<size).map { i in
                let x = Double(i) - Double(size - 1) * 0.5
                return exp(scale * x * x)
            }
        }
        let total = raw.reduce(0, +)
        return raw.map { Float($0 / total) }
    }

    /// OpenCV's `small_gaussian_tab`, used for `sigma <= 0` and odd sizes 1…7.
    private static let smallGaussianTables: [[Double]] = [
        [1],
        [0.25, 0.5, 0.25],
        [0.0625, 0.25, 0.375, 0.25, 0.0625],
        [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
    ]
}

// MARK: - Sampling the shapes

extension BlurKernel {
    private static func validate(_ shape: KernelShape) throws {
        func positive(_ value: Double, _ name: String) throws {
            guard value.isFinite, value > 0 else {
                throw OpError("BlurKernel", "\(name) must be a finite number > 0, got \(value)")
            }
        }
        func finite(_ value: Double, _ name: String) throws {
            guard value.isFinite else { throw OpError("BlurKernel", "\(name) must be finite, got \(value)") }
        }
        switch shape {
        case let .gaussian(sx, sy, theta):
            try positive(sx, "sigmaX"); try positive(sy, "sigmaY"); try finite(theta, "theta")
        case let .generalizedGaussian(sx, sy, theta, beta), let .plateau(sx, sy, theta, beta):
            try positive(sx, "sigmaX"); try positive(sy, "sigmaY"); try finite(theta, "theta"); try positive(beta, "beta")
        case let .sinc(omega):
            try positive(omega, "omega")
        case .delta:
            break
        }
    }

    /// Unnormalised taps of `shape`, row-major (row = y), in Double.
    private static func sample(_ shape: KernelShape, size: Int) -> [Double] {
        switch shape {
        case let .gaussian(sx, sy, theta):
            return sampleQuadratic(size, InverseCovariance(sx, sy, theta)) { q in gaussianProfile(q) }
        case let .generalizedGaussian(sx, sy, theta, beta):
            return sampleQuadratic(size, InverseCovariance(sx, sy, theta)) { q in generalizedGaussianProfile(q, beta: beta) }
        case let .plateau(sx, sy, theta, beta):
            return sampleQuadratic(size, InverseCovariance(sx, sy, theta)) { q in plateauProfile(q, beta: beta) }
        case let .sinc(omega):
            return sampleRadial(size) { r in sincProfile(r, omega: omega) }
        case .delta:
            var taps = [Double](repeating: 0, count: size * size)
            taps[(size / 2) * size + size / 2] = 1
            return taps
        }
    }

    /// `exp(−q/2)`.
    private static func gaussianProfile(_ q: Double) -> Double { exp(-0.5 * q) }

    /// `exp(−½ q^β)`.
    private static func generalizedGaussianProfile(_ q: Double, beta: Double) -> Double { exp(-0.5 * pow(q, beta)) }

    /// `1 / (q^β + 1)`.
    private static func plateauProfile(_ q: Double, beta: Double) -> Double { 1 / (pow(q, beta) + 1) }

    /// `ω·J1(ω r) / (2π r)`, and its limit `ω²/(4π)` at `r = 0` (J1(z) ≈ z/2).
    private static func sincProfile(_ r: Double, omega: Double) -> Double {
        r == 0 ? omega * omega / (4 * Double.pi) : omega * j1(omega * r) / (2 * Double.pi * r)
    }

    /// `profile(q)` with `q = pᵀ Σ⁻¹ p` at every offset `p = (x, y)`.
    private static func sampleQuadratic(_ size: Int, _ inv: InverseCovariance, _ profile: (Double) -> Double) -> [Double] {
        let c = size / 2
        var taps = [Double](repeating: 0, count: size * size)
        for row in 0..<size {
            let y = Double(row - c)
            for col in 0..<size {
                let x = Double(col - c)
                taps[row * size + col] = profile(inv.a * x * x + 2 * inv.b * x * y + inv.d * y * y)
            }
        }
        return taps
    }

    /// `profile(r)` with `r = √(x² + y²)` at every offset.
    private static func sampleRadial(_ size: Int, _ profile: (Double) -> Double) -> [Double] {
        let c = size / 2
        var taps = [Double](repeating: 0, count: size * size)
        for row in 0..<size {
            for col in 0..<size {
                let x = Double(col - c), y = Double(row - c)
                taps[row * size + col] = profile((x * x + y * y).squareRoot())
            }
        }
        return taps
    }
}

/// `Σ⁻¹ = R(θ) diag(1/σx², 1/σy²) R(θ)ᵀ = [[a, b], [b, d]]` for `Σ = R(θ) diag(σx², σy²) R(θ)ᵀ`.
private struct InverseCovariance {
    let a: Double, b: Double, d: Double

    init(_ sigmaX: Double, _ sigmaY: Double, _ theta: Double) {
        let ix = 1 / (sigmaX * sigmaX), iy = 1 / (sigmaY * sigmaY)
        if sigmaX == sigmaY {
            // Isotropic: Σ = σ² I exactly as the reference builds it, so θ cannot leak in through cos² + sin² ≠ 1.
            (a, b, d) = (ix, 0, ix)
            return
        }
        let c = cos(theta), s = sin(theta)
        a = c * c * ix + s * s * iy
        b = c * s * (ix - iy)
        d = s * s * ix + c * c * iy
    }
}
