import DegradeMedia
import DegradeOps

/// The sharpened ground truth of a plan, from its GT frames: what a rendered set left out with
/// `--no-gt-unsharp` is recomputed from `gt/` by this, the same operator the executor applies.
public enum GroundTruthSharpening {
    /// nil when the plan does not sharpen.
    public static func apply(_ gt: [Image], plan: DegradationPlan) -> [Image]? {
        guard let usm = plan.unsharp else { return nil }
        return gt.map { UnsharpMask.apply($0, radius: usm.kernelSize, sigma: usm.sigma, weight: Float(usm.weight), threshold: Float(usm.threshold)) }
    }
}
