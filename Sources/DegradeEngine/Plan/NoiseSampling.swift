import DegradeRandom
import Foundation

/// Draws a clip's noise type, gray flag and per-frame strength, as mmedit `RandomNoise`, Real-ESRGAN and BSRGAN do.
enum NoiseSampling {
    static func sample(_ spec: NoiseSpec, frames: Int, rng: inout RandomStream) -> NoisePlan {
        let type = spec.types[rng.choice(weights: spec.typeProb)]
        switch type {
        case .gaussian:
            let gray = rng.bernoulli(spec.gaussianGrayProb)
            let s0 = spec.gaussianSigmaInteger
                ? Double(rng.int(in: Int(spec.gaussianSigma.lowerBound.rounded(.up))...Int(spec.gaussianSigma.upperBound)))
                : rng.uniform(spec.gaussianSigma.lowerBound, spec.gaussianSigma.upperBound)
            let sigmas = RandomWalk.values(start: s0, step: spec.gaussianSigmaStep, range: spec.gaussianSigma, count: frames, rng: &rng)
            return NoisePlan(type: .gaussian, gray: gray, sigmas: sigmas, scales: nil, covariance: nil, clip: spec.clip)
        case .poisson:
            let gray = rng.bernoulli(spec.poissonGrayProb)
            let scales = RandomWalk.values(start: rng.uniform(spec.poissonScale.lowerBound, spec.poissonScale.upperBound),
                                           step: spec.poissonScaleStep, range: spec.poissonScale, count: frames, rng: &rng)
            return NoisePlan(type: .poisson, gray: gray, sigmas: nil, scales: scales, covariance: nil, clip: spec.clip)
        case .correlated:
            return NoisePlan(type: .correlated, gray: false, sigmas: nil, scales: nil,
                             covariance: correlatedCovariance(level: spec.correlatedLevel / 255, rng: &rng), clip: spec.clip)
        }
    }

    /// KAIR: Σ = |L²·UᵀDU| with D = diag(U(0,1)³) and U an orthonormal basis of a random 3×3 matrix
    /// (uniform entries, orthonormalised; Gram–Schmidt here, scipy's `orth` via SVD there — both give a
    /// random rotation/reflection). The absolute value is elementwise, as in the reference.
    static func correlatedCovariance(level: Double, rng: inout RandomStream) -> [Double] {
        let d = (0..<3).map { _ in rng.uniform() }
        var m = (0..<9).map { _ in rng.uniform() }
        // Gram–Schmidt on the columns.
        for c in 0..<3 {
            for p in 0..<c {
                let dot = (0..<3).reduce(0.0) { $0 + m[$1 * 3 + c] * m[$1 * 3 + p] }
                for r in 0..<3 { m[r * 3 + c] -= dot * m[r * 3 + p] }
            }
            let norm = sqrt((0..<3).reduce(0.0) { $0 + m[$1 * 3 + c] * m[$1 * 3 + c] })
            for r in 0..<3 { m[r * 3 + c] /= max(norm, 1e-12) }
        }
        var sigma = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                var s = 0.0
                for k in 0..<3 { s += m[k * 3 + i] * d[k] * m[k * 3 + j] }  // (UᵀDU)_ij with U rows = m rows
                sigma[i * 3 + j] = abs(level * level * s)
            }
        }
        return sigma
    }
}
