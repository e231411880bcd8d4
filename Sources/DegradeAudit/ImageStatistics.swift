import DegradeEngine
import DegradeMedia
import DegradeOps
import DegradeRender
import Dispatch
import Foundation
import Synchronization

/// Image statistics of rendered clips, at location `image` (per frame, frame scope) and at each compression
/// step (`bpp`, per clip):
/// - `psnr_y`, `ssim_y`: the LQ against the GT it was synthesised from (`gt_unsharp` when the recipe makes
///   the LQ from it), bicubic-downscaled to the LQ size; BasicSR's Y channel on 8-bit frames. Frames whose GT
///   size is not a whole multiple of the LQ size are skipped. Infinite PSNR is capped at `ImageMetrics.psnrCap`.
/// - `noise_sigma`: Immerkær's noise estimate of the LQ, 8-bit levels, averaged over R, G, B.
/// - `laplacian_var`: variance of the Laplacian of the LQ's Y (sharpness; blur lowers it).
/// - `blockiness`: 8-px block-boundary vs in-block gradient ratio of the LQ's Y (≈ 1 without JPEG blocking).
/// - `lq_width`, `lq_height`, `lq_size`: output frame sizes.
/// - `bpp` at each JPEG or video step: `8·compressed bytes / (pixels × frames)` at the step's input size.
enum ImageStatistics {
    /// Measures one rendered clip.
    public static func measure(_ clip: DegradedClip) throws -> QuantitySet {
        var q = QuantitySet()
        let reference = clip.plan.lqFromUnsharp ? (clip.gtUnsharp ?? clip.gt) : clip.gt
        var psnr: [Double] = [], ssim: [Double] = [], noise: [Double] = [], sharp: [Double] = [], block: [Double] = []
        var widths: [Double] = [], heights: [Double] = [], sizes: [String] = []
        for (t, lq) in clip.lq.enumerated() {
            let y = LumaPlane.luma(lq)
            widths.append(Double(lq.width))
            heights.append(Double(lq.height))
            sizes.append("\(lq.width)×\(lq.height)")
            if let n = ImageMetrics.noiseSigma(lq) { noise.append(n) }
            if let s = ImageMetrics.laplacianVariance(y) { sharp.append(s) }
            if let b = ImageMetrics.blockiness(y) { block.append(b) }
            guard t < reference.count else { continue }
            let gt = reference[t]
            guard gt.width % lq.width == 0, gt.height % lq.height == 0 else { continue }
            let down = LumaPlane.luma(try Resize.apply(gt, width: lq.width, height: lq.height, interpolation: .bicubic))
            psnr.append(min(ImageMetrics.psnr(down, y), ImageMetrics.psnrCap))
            if let s = ImageMetrics.ssim(down, y) { ssim.append(s) }
        }
        q.add("image", "psnr_y", frames: psnr, "PSNR of the LQ vs the bicubic-downscaled GT, Y channel, dB")
        q.add("image", "ssim_y", frames: ssim, "SSIM of the LQ vs the bicubic-downscaled GT, Y channel")
        q.add("image", "noise_sigma", frames: noise, "Immerkær noise estimate of the LQ, 8-bit levels")
        q.add("image", "laplacian_var", frames: sharp, "variance of the Laplacian of the LQ's Y (sharpness)")
        q.add("image", "blockiness", frames: block, "8-px boundary / in-block gradient ratio of the LQ's Y")
        q.add("image", "lq_width", frames: widths, "LQ frame width, px")
        q.add("image", "lq_height", frames: heights, "LQ frame height, px")
        q.add("image", "lq_size", labels: sizes, "LQ frame size")
        for (at, bpp) in bitsPerPixel(clip) {
            q.add(at, "bpp", bpp, "compressed bits per pixel")
        }
        return q
    }

    /// Bits per pixel of each compression step: its compressed bytes over the pixels it coded. Frame sizes are
    /// followed through the plan: resizes set them, a video step codes every frame at frame 0's size.
    static func bitsPerPixel(_ clip: DegradedClip) -> [(at: String, bpp: Double)] {
        let plan = clip.plan
        var sizes = Array(repeating: plan.gtSize, count: plan.frameCount)
        var out: [(String, Double)] = []
        for step in plan.steps {
            var pixels: Int?
            switch step.op {
            case .resize(let r): sizes = r.sizes
            case .jpeg: pixels = sizes.reduce(0) { $0 + $1.width * $1.height }
            case .video:
                pixels = sizes[0].width * sizes[0].height * sizes.count
                sizes = Array(repeating: sizes[0], count: sizes.count)
            case .blur, .motionBlur, .noise, .quantize, .clip, .skipped: break
            }
            if let pixels, pixels > 0, let bytes = clip.compressedBytes[step.at] {
                out.append((step.at, 8 * Double(bytes) / Double(pixels)))
            }
        }
        return out
    }

    /// Renders `count` samples with `maker` — source clips cycled, variants as `degrade render --repeat`
    /// would key them (`clip`, `clip#1`, …) — and measures each. Clips run `jobs` at a time; the result does
    /// not depend on `jobs`.
    public static func collect(maker: SampleMaker, count: Int, jobs: Int = 1, shard: RenderOptions.Shard = .init(index: 1, count: 1),
                               progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> QuantitySet {
        let clips = try maker.source.clips()
        guard !clips.isEmpty else { throw InputError("the --input source has no clips") }
        // A shard measures renders k with k mod N = I − 1: the same clips and variants the whole audit would.
        let ids = (0..<count).filter { $0 % shard.count == shard.index - 1 }
        let count = ids.count
        let results = Mutex<[QuantitySet?]>(Array(repeating: nil, count: count))
        let failure = Mutex<Error?>(nil)
        let next = Atomic<Int>(0), done = Atomic<Int>(0)
        let work: @Sendable () -> Void = {
            while failure.withLock({ $0 == nil }) {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                do {
                    let k = ids[i]
                    let plan = try maker.plan(clip: clips[k % clips.count], variant: k / clips.count)
                    let measured = try measure(try maker.make(plan))
                    results.withLock { $0[i] = measured }
                    progress(done.add(1, ordering: .relaxed).newValue, count)
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        let workers = max(1, min(jobs, count))
        if workers == 1 { work() } else { DispatchQueue.concurrentPerform(iterations: workers) { _ in work() } }
        if let error = failure.withLock({ $0 }) { throw error }
        var all = QuantitySet()
        for r in results.withLock({ $0 }) { if let r { all.merge(r) } }
        return all
    }
}
