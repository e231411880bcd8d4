import DegradeOps

public struct KernelParams: Codable, Sendable, Equatable {
    public var sigmaX: Double
    public var sigmaY: Double
    public var theta: Double
    public var beta: Double?
    public var omega: Double?
}

/// A `blur` step: one kernel family and size per clip, its parameters per frame.
public struct BlurPlan: Codable, Sendable, Equatable {
    public var type: KernelType
    public var size: Int
    public var padTo: Int?
    var kernelNoise: ClosedRange<Double>?
    /// Kernel parameters for every frame.
    public var frames: [KernelParams]

    public func shape(frame t: Int) -> KernelShape {
        let p = frames[t]
        switch type {
        case .iso, .aniso, .bsrganIso, .bsrganAniso: return .gaussian(sigmaX: p.sigmaX, sigmaY: p.sigmaY, theta: p.theta)
        case .generalizedIso, .generalizedAniso:
            return .generalizedGaussian(sigmaX: p.sigmaX, sigmaY: p.sigmaY, theta: p.theta, beta: p.beta ?? 1)
        case .plateauIso, .plateauAniso: return .plateau(sigmaX: p.sigmaX, sigmaY: p.sigmaY, theta: p.theta, beta: p.beta ?? 1)
        case .sinc: return .sinc(omega: p.omega ?? .pi)
        }
    }

    var isotropic: Bool { [.iso, .generalizedIso, .plateauIso, .bsrganIso].contains(type) }

    func parameters(frame t: Int) -> [StepParameter] {
        let p = frames[t]
        var out: [StepParameter] = [
            .init("kernel", "kernel", .choice(type.rawValue), "kernel family"),
            .init("kernel_size", "size", .choice(String(size)), unit: .taps, "kernel size, px"),
        ]
        if type == .sinc {
            out.append(.init("omega", "ω", .number(p.omega ?? .pi), unit: .radians, walks: true, "sinc cut-off ω, rad"))
        } else {
            out.append(.init("sigma_x", "σx", .number(p.sigmaX), unit: .pixels, walks: true, "σx, px"))
            out.append(.init("sigma_y", "σy", .number(p.sigmaY), unit: .pixels, walks: true, audited: !isotropic, "σy of anisotropic kernels, px"))
            out.append(.init("theta", "θ", .number(p.theta), unit: .radians, walks: true, audited: !isotropic, "θ of anisotropic kernels, rad"))
            if let beta = p.beta {
                out.append(.init("beta", "β", .number(beta), walks: true, "β of generalized/plateau kernels"))
            }
        }
        if let r = kernelNoise {
            out.append(.init("kernel_noise", "kernel noise", .choice("U(\(StepParameter.short(r.lowerBound)), \(StepParameter.short(r.upperBound)))"),
                             audited: false, "multiplicative per-tap noise, renormalised"))
        }
        return out
    }

    func validate(frames count: Int, path: String) throws {
        try PlanRule.integer(size, "\(path).size", in: 1...51, odd: true)
        if let padTo { try PlanRule.integer(padTo, "\(path).padTo", in: size...51, odd: true) }
        if let r = kernelNoise {
            // The factors must leave the kernel a positive sum to renormalise.
            try PlanRule.number(r.lowerBound, "\(path).kernelNoise[0]", in: 0...10)
            try PlanRule.number(r.upperBound, "\(path).kernelNoise[1]", in: Double.leastNonzeroMagnitude...10)
        }
        try PlanRule.perFrame(frames.count, count, "\(path).frames")
        for (t, p) in frames.enumerated() {
            let at = "\(path).frames[\(t)]"
            if type == .sinc {
                try PlanRule.number(p.omega ?? .pi, "\(at).omega", in: 1e-3...4)
            } else {
                try PlanRule.number(p.sigmaX, "\(at).sigmaX", in: 1e-3...100)
                try PlanRule.number(p.sigmaY, "\(at).sigmaY", in: 1e-3...100)
                try PlanRule.number(p.theta, "\(at).theta", in: -10...10)
                if let beta = p.beta { try PlanRule.number(beta, "\(at).beta", in: 1e-3...100) }
            }
        }
    }
}
