import DegradeMedia
import DegradeOps
import DegradeRandom

/// One applied per-frame step (everything but `video`), ready to run on frame `t` of a clip: each frame's result
/// depends only on that frame, its index and the plan, so frames may run in any order or on any thread.
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
        case "blur":
            guard let blur = step.blur else { return (frame, 0) }
            var kernel = try BlurKernel(shape: blur.shape(frame: t), size: blur.size, padTo: blur.padTo)
            if let range = blur.kernelNoise {
                var rng = RandomStream(key: key, substream: UInt64(t))
                kernel = kernel.multipliedByNoise((0..<kernel.weights.count).map { _ in Float(rng.uniform(range.lowerBound, range.upperBound)) })
            }
            return (Convolution.apply(kernel, to: frame), 0)
        case "resize":
            guard let resize = step.resize else { return (frame, 0) }
            let size = resize.sizes[t]
            return (try Resize.apply(frame, width: size.width, height: size.height, interpolation: resize.interpolation), 0)
        case "noise":
            guard let noise = step.noise else { return (frame, 0) }
            var f = consume frame
            switch noise.type {
            case .gaussian:
                try GaussianNoise.apply(&f, sigma: Float(noise.sigmas![t] / 255), gray: noise.gray, key: key, substream: UInt64(t))
            case .poisson:
                try PoissonNoise.apply(&f, scale: Float(noise.scales![t]), gray: noise.gray, key: key, substream: UInt64(t))
            case .correlated:
                try CorrelatedGaussianNoise.apply(&f, covariance: noise.covariance!, key: key, substream: UInt64(t))
            }
            if noise.clip { Self.clamp(&f) }
            return (f, 0)
        case "jpeg":
            guard let jpeg = step.jpeg else { return (frame, 0) }
            let result = try JPEGCompression.applyMeasured(frame, quality: jpeg.qualities[t], swapRB: jpeg.swapRB)
            return (result.image, result.bytes)
        case "quantize":
            var g = consume frame
            g.pixels.withUnsafeMutableBufferPointer { p in
                // `Float(q) / 255` equals `Image.unitLevels[q]` and vectorises.
                for i in 0..<p.count { p[i] = Float(Image.quantize8(p[i])) / 255 }
            }
            return (g, 0)
        case "clip":
            var g = consume frame
            Self.clamp(&g)
            return (g, 0)
        default:
            throw InputError("plan step \(step.at): unknown op `\(step.op)`")
        }
    }

    static func clamp(_ image: inout Image) {
        image.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = min(max(p[i], 0), 1) }
        }
    }
}
