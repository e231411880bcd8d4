import DegradeMedia
import DegradeOps
import DegradeRandom

/// One applied per-frame step (everything but `video`), ready to run on frame `t` of a clip: each frame's result
/// depends only on that frame, its index and the plan, so frames may run in any order or on any thread.
/// The plan has been validated (`DegradationPlan.validate`), so every per-frame list has a value for `t`.
struct FrameStep: Sendable {
    let step: PlanStep
    /// The step's noise key: (seed, sample key, `exec:<location>`).
    let key: RandomKey

    init(_ step: PlanStep, plan: DegradationPlan) {
        self.step = step
        key = RandomKey(seed: plan.seed, clip: plan.key, stream: "exec:\(step.at)")
    }

    /// Frame `t` after the step, and the compressed bytes it produced (JPEG; 0 otherwise). The frame is consumed, so
    /// the in-place steps (noise, quantize, clip) do not copy it when the caller holds no other reference.
    func apply(_ frame: consuming Image, t: Int) throws -> (Image, bytes: Int) {
        switch step.op {
        case .blur(let blur):
            var kernel = try BlurKernel(shape: blur.shape(frame: t), size: blur.size, padTo: blur.padTo)
            if let range = blur.kernelNoise {
                var rng = RandomStream(key: key, substream: UInt64(t))
                let factors = (0..<kernel.weights.count).map { _ in Float(rng.uniform(range.lowerBound, range.upperBound)) }
                let total = zip(kernel.weights, factors).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                guard total.isFinite, total > 0 else {
                    throw InputError("plan step \(step.at): kernel noise U(\(range.lowerBound), \(range.upperBound)) left frame \(t)'s kernel summing to 0")
                }
                kernel = kernel.multipliedByNoise(factors)
            }
            return (Convolution.apply(kernel, to: frame), 0)
        case .motionBlur(let motion):
            let kernel = try MotionBlurKernel.make(length: motion.lengths[t], angle: motion.angles[t], size: motion.size)
            return (Convolution.apply(kernel, to: frame), 0)
        case .resize(let resize):
            let size = resize.sizes[t]
            return (try Resize.apply(frame, width: size.width, height: size.height, interpolation: resize.interpolation), 0)
        case .noise(let noise):
            var f = consume frame
            switch noise.type {
            case .gaussian:
                let sigma = try value(noise.sigmas, t, "sigmas")
                try GaussianNoise.apply(&f, sigma: Float(sigma / 255), gray: noise.gray, key: key, substream: UInt64(t))
            case .poisson:
                let scale = try value(noise.scales, t, "scales")
                try PoissonNoise.apply(&f, scale: Float(scale), gray: noise.gray, key: key, substream: UInt64(t))
            case .correlated:
                guard let covariance = noise.covariance else { throw InputError("plan step \(step.at): no covariance") }
                try CorrelatedGaussianNoise.apply(&f, covariance: covariance, key: key, substream: UInt64(t))
            }
            if noise.clip { Self.clamp(&f) }
            return (f, 0)
        case .jpeg(let jpeg):
            let result = try JPEGCompression.applyMeasured(frame, quality: jpeg.qualities[t], swapRB: jpeg.swapRB)
            return (result.image, result.bytes)
        case .quantize:
            var g = consume frame
            g.pixels.withUnsafeMutableBufferPointer { p in
                // `Float(q) / 255` equals `Image.unitLevels[q]` and vectorises.
                for i in 0..<p.count { p[i] = Float(Image.quantize8(p[i])) / 255 }
            }
            return (g, 0)
        case .clip:
            var g = consume frame
            Self.clamp(&g)
            return (g, 0)
        case .video, .skipped:
            // `Stretch.split` hands neither to a frame step.
            throw InputError("plan step \(step.at): `\(step.name)` is not a per-frame step")
        }
    }

    /// Frame `t`'s entry of a per-frame list the noise type needs.
    private func value(_ list: [Double]?, _ t: Int, _ name: String) throws -> Double {
        guard let list, list.indices.contains(t) else { throw InputError("plan step \(step.at): no noise \(name) value for frame \(t)") }
        return list[t]
    }

    static func clamp(_ image: inout Image) {
        image.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = min(max(p[i], 0), 1) }
        }
    }
}
