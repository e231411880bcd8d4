/// The family and explicit parameters of a blur kernel (MMEditing `blur_kernels.py` / BasicSR `degradations.py`).
///
/// Parameters are given, never sampled here: drawing σ, θ, β, ω from their ranges belongs to the pipeline.
/// For the Gaussian-like shapes the covariance is `Σ = R(θ) diag(σx², σy²) R(θ)ᵀ` with
/// `R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]]`, evaluated on offsets `p = (x, y)` (x = column, y = row) through
/// the quadratic form `q = pᵀ Σ⁻¹ p`. With `sigmaX == sigmaY` the kernel is isotropic and `theta` has no effect.
public enum KernelShape: Codable, Sendable, Equatable {
    /// `K ∝ exp(−q/2)`.
    case gaussian(sigmaX: Double, sigmaY: Double, theta: Double)
    /// `K ∝ exp(−½ q^β)`; β = 1 is the Gaussian, β < 1 has heavier tails, β > 1 is flatter with a sharper fall-off.
    case generalizedGaussian(sigmaX: Double, sigmaY: Double, theta: Double, beta: Double)
    /// `K ∝ 1 / (q^β + 1)`.
    case plateau(sigmaX: Double, sigmaY: Double, theta: Double, beta: Double)
    /// Circular low-pass with cut-off `ω` (radians per sample): `K = ω·J1(ω r) / (2π r)`, centre tap `ω²/(4π)`.
    case sinc(omega: Double)
    /// The identity kernel: 1 at the centre, 0 elsewhere.
    case delta
}
