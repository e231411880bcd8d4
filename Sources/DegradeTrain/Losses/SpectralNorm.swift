import DegradeTensor
import Foundation

/// Spectral normalisation of a convolution weight (Miyato et al. 2018, PyTorch's `nn.utils.spectral_norm`):
/// the layer uses `W / σ(W)`, where `σ` is the largest singular value of `W` viewed as a `[Cout, Cin·k·k]` matrix,
/// estimated by power iteration with persistent vectors `u` (`[Cout]`) and `v` (`[Cin·k·k]`).
///
/// Each forward pass that records gradients (training) first runs one iteration
/// `v ← normalize(Wᵀu)`, `u ← normalize(W v)` with `normalize(x) = x / max(‖x‖, 1e-12)`; evaluation passes
/// (`GradientMode.withoutGradients`) reuse `u`, `v` unchanged. Then `σ = uᵀ W v`, with `u`, `v` treated as constants
/// (gradient of `σ` w.r.t. `W` is `u vᵀ`), exactly as PyTorch. `u` and `v` start as normalised N(0, 1) draws from the
/// given generator followed by 15 iterations (PyTorch's parametrization does the same at construction).
///
/// State-dict names follow PyTorch's: `<name>.weight_orig` (the trainable weight), `<name>.weight_u`,
/// `<name>.weight_v` (buffers, not trainable).
final class SpectralNorm: @unchecked Sendable {
    /// The unnormalised, trainable weight (`<name>.weight_orig`).
    public let weight: Parameter
    /// Power-iteration vectors (buffers: not trainable, updated in place during training passes).
    public let u: Parameter
    public let v: Parameter
    private let lock = NSLock()

    /// Wraps `weight` (a `[Cout, …]` tensor); `name` is the layer's state-dict prefix.
    public init<G: RandomNumberGenerator>(weight initial: Tensor, name: String, using generator: inout G) {
        weight = Parameter(initial, name: "\(name).weight_orig")
        let rows = initial.shape[0], cols = initial.count / max(1, rows)
        u = Parameter(SpectralNorm.normalized(Tensor.normal([rows], using: &generator).scalars, shape: [rows]),
                      name: "\(name).weight_u", isTrainable: false)
        v = Parameter(SpectralNorm.normalized(Tensor.normal([cols], using: &generator).scalars, shape: [cols]),
                      name: "\(name).weight_v", isTrainable: false)
        for _ in 0..<15 { powerIteration() }
    }

    /// `W / σ(W)`, after one power iteration when gradients are being recorded.
    func normalizedWeight() -> Tensor {
        let (uu, vv): ([Float], [Float]) = lock.withLock {
            if GradientMode.isEnabled { powerIteration() }
            return (u.value.scalars, v.value.scalars)
        }
        // u vᵀ laid out like W, so σ = Σ W ⊙ (u vᵀ) = uᵀ W v differentiates to u vᵀ.
        var outer = [Float](repeating: 0, count: uu.count * vv.count)
        for i in 0..<uu.count { for j in 0..<vv.count { outer[i * vv.count + j] = uu[i] * vv[j] } }
        let w = weight.value
        let sigma = (w * Tensor(shape: w.shape, scalars: outer)).sum()
        return w.divided(by: sigma)
    }

    /// The current estimate `uᵀ W v` of the largest singular value.
    public var sigma: Float {
        let (w, uu, vv) = (weight.value.scalars, u.value.scalars, v.value.scalars)
        var s: Double = 0
        for i in 0..<uu.count { for j in 0..<vv.count { s += Double(uu[i]) * Double(w[i * vv.count + j]) * Double(vv[j]) } }
        return Float(s)
    }

    /// One step `v ← normalize(Wᵀu)`, `u ← normalize(W v)` (sums in Double).
    func powerIteration() {
        let w = weight.value.scalars, uu = u.value.scalars
        let rows = uu.count, cols = v.count
        var nv = [Double](repeating: 0, count: cols)
        for i in 0..<rows { for j in 0..<cols { nv[j] += Double(w[i * cols + j]) * Double(uu[i]) } }
        let vNew = SpectralNorm.normalized(nv.map(Float.init), shape: [cols])
        let vs = vNew.scalars
        var nu = [Double](repeating: 0, count: rows)
        for i in 0..<rows { for j in 0..<cols { nu[i] += Double(w[i * cols + j]) * Double(vs[j]) } }
        v.assign(vNew)
        u.assign(SpectralNorm.normalized(nu.map(Float.init), shape: [rows]))
    }

    static func normalized(_ x: [Float], shape: [Int]) -> Tensor {
        let norm = Float(x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
        return Tensor(shape: shape, scalars: x.map { $0 / max(norm, 1e-12) })
    }
}
