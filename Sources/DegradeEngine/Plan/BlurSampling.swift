import DegradeRandom

/// Draws a clip's kernel family, size and per-frame parameters (spec §1, §7 step 5).
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
                let b0 = drawBeta(betaRange, rng: &rng)
                if spec.betaRedrawQuirk {
                    // mmedit 0.x passes [β, β] back into the sampler each frame: β is U between β0 and 1, re-drawn.
                    betas = (0..<frames).map { t in t == 0 ? b0 : drawBeta(min(b0, 1)...max(b0, 1), rng: &rng) }
                } else {
                    let walk = RandomWalk.values(start: b0, step: betaStep, range: betaRange, count: frames, rng: &rng)
                    betas = walk.map { Optional($0) }
                }
            }
            params = (0..<frames).map { KernelParams(sigmaX: sx[$0], sigmaY: sy[$0], theta: th[$0], beta: betas[$0], omega: nil) }
        }
        return BlurPlan(type: type, size: size, padTo: spec.padTo.map { max($0, size) }, kernelNoise: spec.kernelNoise, frames: params)
    }

    /// Both references: with p = 0.5, β = U(β_lo, 1), else U(1, β_hi). A range entirely on one side of 1
    /// collapses to that side's bound and 1, as in the reference code.
    static func drawBeta(_ range: ClosedRange<Double>, rng: inout RandomStream) -> Double {
        if rng.uniform() < 0.5 {
            return rng.uniform(min(range.lowerBound, 1), max(range.lowerBound, 1))
        }
        return rng.uniform(min(1, range.upperBound), max(1, range.upperBound))
    }
}
