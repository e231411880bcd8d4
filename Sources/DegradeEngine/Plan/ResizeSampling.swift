import DegradeOps
import DegradeRandom

/// Draws a clip's resize mode, interpolation and per-frame scale, and works out every frame's size, as mmedit `RandomResize` and Real-ESRGAN do.
enum ResizeSampling {
    static func sample(_ spec: ResizeSpec, sizes: [FrameDims], gtSize: FrameDims, rng: inout RandomStream) -> ResizePlan {
        let interpolation = spec.interpolations[rng.choice(weights: spec.interpolationProb)]
        let frames = sizes.count
        if let target = spec.targetSize {
            return ResizePlan(interpolation: interpolation, mode: nil, scales: nil,
                              sizes: Array(repeating: FrameDims(width: target[1], height: target[0]), count: frames))
        }
        if let fraction = spec.targetScale {
            let size = FrameDims(width: max(1, Int(Double(gtSize.width) * fraction)), height: max(1, Int(Double(gtSize.height) * fraction)))
            return ResizePlan(interpolation: interpolation, mode: nil, scales: nil, sizes: Array(repeating: size, count: frames))
        }
        let mode: ResizeMode
        let start: Double
        let range: ClosedRange<Double>
        if let reciprocal = spec.reciprocalScale {
            mode = .down
            start = 1 / rng.uniform(reciprocal.lowerBound, reciprocal.upperBound)
            range = (1 / reciprocal.upperBound)...(1 / reciprocal.lowerBound)
        } else {
            mode = [ResizeMode.up, .down, .keep][rng.choice(weights: spec.modeProb)]
            switch mode {
            case .up: start = rng.uniform(1, max(1, spec.scale.upperBound))
            case .down: start = rng.uniform(min(spec.scale.lowerBound, 1), 1)
            case .keep: start = 1
            }
            range = spec.scale
        }
        let scales = RandomWalk.values(start: start, step: spec.step, range: range, count: frames, rng: &rng)
        // mmedit takes h, w from frame 0 for every frame; Real-ESRGAN's second order scales the GT size / 4.
        let base = spec.relativeToGT
            ? (Double(gtSize.width) * spec.referenceScale, Double(gtSize.height) * spec.referenceScale)
            : (Double(sizes[0].width), Double(sizes[0].height))
        let out = scales.map { s -> FrameDims in
            let scaled = Resize.scaledSize(width: Int(base.0.rounded(.towardZero)), height: Int(base.1.rounded(.towardZero)),
                                           scale: s, evenSize: spec.evenSize)
            return FrameDims(width: scaled.width, height: scaled.height)
        }
        return ResizePlan(interpolation: interpolation, mode: mode, scales: scales, sizes: out)
    }
}
