import DegradeOps
import DegradeRandom

/// Draws a clip's streak length and angle and lets both drift per frame, like the other kernels' parameters.
enum MotionBlurSampling {
    static func sample(_ spec: MotionBlurSpec, frames: Int, rng: inout RandomStream) -> MotionBlurPlan {
        let lengths = RandomWalk.values(start: rng.uniform(spec.length.lowerBound, spec.length.upperBound), step: spec.lengthStep,
                                        range: spec.length, count: frames, rng: &rng)
        let angles = RandomWalk.values(start: rng.uniform(spec.angle.lowerBound, spec.angle.upperBound), step: spec.angleStep,
                                       range: spec.angle, count: frames, rng: &rng)
        // One kernel size for the clip, large enough for its longest streak.
        return MotionBlurPlan(size: MotionBlurKernel.size(forLength: lengths.max() ?? 0), lengths: lengths, angles: angles)
    }
}
