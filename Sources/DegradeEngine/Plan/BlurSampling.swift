import DegradeRandom

/// Draws a clip's kernel family, size and per-frame parameters, as mmedit `RandomBlur` and Real-ESRGAN's `random_mixed_kernels` do.
enum BlurSampling {
    static func sample(_ spec: BlurSpec, frames: Int, rng: inout RandomStream) -> BlurPlan {
        let type: KernelType
        if spec.sincProb > 0 && rng.bernoulli(spec.sincProb) {
            type = .sinc
        } else {
            type = spec.kernelList[rng.choice(weights: spec.kernelProb)]
        }
        let size = type == .bsrganIso || type == .bsrganAniso || spec.kernelSizes.count > 1
            ? spec.kernelSizes[rng.int(in: 0...(spec.kernelSizes.count - 1))] : spec.kernelSizes[0]
        let params: [KernelParams]
        switch type {
        case .sinc:
            let range = spec.omega ?? (size < 13 ? Double.pi / 3...Double.pi : Double.pi / 5...Double.pi)
            let omegas = RandomWalk.values(start: rng.uniform(range.lowerBound, range.upperBound), step: spec.omegaStep,
                                           range: range, count: frames, rng: &rng)
            params = omegas.map { KernelParams(sigmaX: 0, sigmaY: 0, theta: 0, beta: nil, omega: $0) }
        case .bsrganAniso:
            // KAIR: θ ~ U(0, π), eigen-variances l1, l2 = (4 + sf)·U(0, 1). A variance of exactly 0 would make
            // the covariance singular (a delta); σ is kept ≥ 0.05 px, where the kernel is a delta anyway.
            let wd = 4 + spec.bsrganScale
            let theta = rng.uniform(0, .pi)
            let l1 = wd * rng.uniform(), l2 = wd * rng.uniform()
            let p = KernelParams(sigmaX: max(l1.squareRoot(), 0.05), sigmaY: max(l2.squareRoot(), 0.05), theta: theta, beta: nil, omega: nil)
            params = Array(repeating: p, count: frames)
        case .bsrganIso:
            let sigma = max((2 + 0.2 * spec.bsrganScale) * rng.uniform(), 0.05)
            params = Array(repeating: KernelParams(sigmaX: sigma, sigmaY: sigma, theta: 0, beta: nil, omega: nil), count: frames)
        default:
            let isotropic = type == .iso || type == .generalizedIso || type == .plateauIso
            let sx = RandomWalk.values(start: rng.uniform(spec.sigmaX.lowerBound, spec.sigmaX.upperBound),
                                       step: spec.sigmaXStep, range: spec.sigmaX, count: frames, rng: &rng)
            let sy = isotropic ? sx : RandomWalk.values(start: rng.uniform(spec.sigmaY.lowerBound, spec.sigmaY.upperBound),
                                                        step: spec.sigmaYStep, range: spec.sigmaY, count: frames, rng: &rng)
            let th = isotropic ? Array(repeating: 0.0, count: frames)
                : RandomWalk.values(start: rng.uniform(spec.rotation.lowerBound, spec.rotation.upperBound),
                                    step: spec.rotationStep, range: spec.rotation, count: frames, rng: &rng)
            var betas: [Double?] = Array(repeating: nil, count: frames)
            let betaRange: ClosedRange<Double>?
            let betaStep: Double
            switch type {
            case .generalizedIso, .generalizedAniso: betaRange = spec.betaGaussian; betaStep = spec.betaGaussianStep
            case .plateauIso, .plateauAniso: betaRange = spec.betaPlateau; betaStep = spec.betaPlateauStep
            default: betaRange = nil; betaStep = 0
            }
            if let betaRange {
                switch spec.betaRule {
                case .realesrgan:
                    let b0 = drawBeta(betaRange, rng: &rng)
                    betas = RandomWalk.values(start: b0, step: betaStep, range: betaRange, count: frames, rng: &rng).map { Optional($0) }
                case .mmedit:
                    betas = mmeditBetas(range: betaRange, step: betaStep, frames: frames) { rng.uniform() }.map { Optional($0) }
                }
            }
            params = (0..<frames).map { KernelParams(sigmaX: sx[$0], sigmaY: sy[$0], theta: th[$0], beta: betas[$0], omega: nil) }
        }
        return BlurPlan(type: type, size: size, padTo: spec.padTo.map { max($0, size) }, kernelNoise: spec.kernelNoise, frames: params)
    }

    /// mmedit 0.16.1 `RandomBlur.get_kernel`, the β draws only, consuming uniforms in its order: the clip's β =
    /// U(lo, hi); then per frame the kernel sampler, called with the range [β, β], draws a branch (u ≤ 0.5) and
    /// β_t = U(β, 1) or U(1, β) — the same interval either way, so β_t is uniform between the walked β and 1 —
    /// and then β walks by U(−step, step) (drawn even when step is 0), clipped to the range.
    static func mmeditBetas(range: ClosedRange<Double>, step: Double, frames: Int, uniform: () -> Double) -> [Double] {
        func u(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }
        var beta = u(range.lowerBound, range.upperBound)
        var out: [Double] = []
        out.reserveCapacity(frames)
        for _ in 0..<frames {
            out.append(uniform() <= 0.5 ? u(beta, 1) : u(1, beta))
            beta = min(max(beta + u(-step, step), range.lowerBound), range.upperBound)
        }
        return out
    }

    /// Real-ESRGAN (and mmedit's kernel sampler): with p = 0.5, β = U(β_lo, 1), else U(1, β_hi). A range entirely on one side of 1
    /// collapses to that side's bound and 1, as in the reference code.
    static func drawBeta(_ range: ClosedRange<Double>, rng: inout RandomStream) -> Double {
        if rng.uniform() < 0.5 {
            return rng.uniform(min(range.lowerBound, 1), max(range.lowerBound, 1))
        }
        return rng.uniform(min(1, range.upperBound), max(1, range.upperBound))
    }
}
