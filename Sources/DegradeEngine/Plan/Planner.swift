import DegradeMedia
import DegradeRandom

/// `plan(recipe, seed, clip) → DegradationPlan`: resolves every random decision for one sample.
///
/// Each decision draws from its own stream, keyed by (seed, sample key, `plan:<recipe location>`), so the
/// plan is a pure function of its inputs and editing one op of a recipe leaves every other op's draws alone.
public enum Planner {
    /// The key of the `variant`-th sample of a clip: the clip key itself, then `key#1`, `key#2`, …
    public static func sampleKey(clip: String, variant: Int) -> String {
        variant == 0 ? clip : "\(clip)#\(variant)"
    }

    /// `key` overrides the sample key (the training stream uses `<clip>@e<epoch>`); by default it is
    /// `sampleKey(clip:variant:)`.
    public static func plan(recipe: Recipe, seed: UInt64, clip: ClipInfo, variant: Int = 0, key explicitKey: String? = nil) throws -> DegradationPlan {
        let key = explicitKey ?? sampleKey(clip: clip.key, variant: variant)
        func stream(_ name: String) -> RandomStream { RandomStream(seed: seed, clip: key, stream: "plan:\(name)") }
        let c = recipe.clip

        // A clip description comes from a source or the command line: never trust it to be non-empty.
        guard clip.frameCount >= 1, clip.width >= 1, clip.height >= 1 else {
            throw InputError("clip \(clip.key): \(clip.frameCount) frames of \(clip.width)×\(clip.height) px; a clip needs at least one frame of at least 1×1")
        }
        // Frames: T consecutive (with interval) from a random start.
        let wanted = c.frames ?? clip.frameCount
        let span = (wanted - 1) * c.frameInterval + 1
        guard span <= clip.frameCount else {
            throw InputError("clip \(clip.key): the recipe \(recipe.name) needs \(wanted) frames (interval \(c.frameInterval)), the clip has \(clip.frameCount)")
        }
        var frameRNG = stream("frames")
        let start = span == clip.frameCount ? 0 : frameRNG.int(in: 0...(clip.frameCount - span))
        let sourceFrames = (0..<wanted).map { start + $0 * c.frameInterval }

        // Crop: one position for the whole clip.
        var size = FrameDims(width: clip.width, height: clip.height)
        var crop: CropPlan?
        if let cs = c.cropSize {
            let padded = size.width < cs || size.height < cs
            guard !padded || c.padIfSmaller else {
                throw InputError("clip \(clip.key): frames are \(size), smaller than the recipe's \(cs)×\(cs) crop (set crop.pad_if_smaller to pad them)")
            }
            let w = max(size.width, cs), h = max(size.height, cs)
            var rng = stream("crop")
            crop = CropPlan(x: rng.int(in: 0...(w - cs)), y: rng.int(in: 0...(h - cs)), size: cs, padded: padded)
            size = FrameDims(width: cs, height: cs)
        }
        var flipRNG = stream("flip")
        let hflip = flipRNG.bernoulli(c.hflipProb), vflip = flipRNG.bernoulli(c.vflipProb), transpose = flipRNG.bernoulli(c.transposeProb)
        if transpose { size = FrameDims(width: size.height, height: size.width) }
        // Trim to a multiple of the scale, as the frameworks' mod_crop does: GT = scale × LQ, with no rounding.
        var modCrop: FrameDims?
        let s = max(recipe.scale, 1)
        if size.width % s != 0 || size.height % s != 0 {
            guard size.width >= s, size.height >= s else {
                throw InputError("clip \(clip.key): frames of \(size) are smaller than the recipe's scale \(s)")
            }
            modCrop = FrameDims(width: size.width - size.width % s, height: size.height - size.height % s)
            size = modCrop!
        }
        let gtSize = size
        let frameCount = c.mirror ? 2 * wanted : wanted

        var builder = StepBuilder(seed: seed, key: key, gtSize: gtSize, sizes: Array(repeating: gtSize, count: frameCount))
        try builder.add(recipe.pipeline)

        var paired: PairedCropPlan?
        if let gtCrop = c.pairedCrop {
            let lq = builder.sizes[0]
            guard builder.sizes.allSatisfy({ $0 == lq }) else {
                throw InputError("recipe \(recipe.name): paired_crop needs one LQ size for every frame; add a video or fixed-size resize step before it")
            }
            guard gtCrop % recipe.scale == 0, lq.width * recipe.scale == gtSize.width, lq.height * recipe.scale == gtSize.height else {
                throw InputError("recipe \(recipe.name): paired_crop needs the LQ (\(lq)) to be the GT (\(gtSize)) divided by scale \(recipe.scale), and a crop divisible by it")
            }
            let lqCrop = gtCrop / recipe.scale
            guard lq.width >= lqCrop, lq.height >= lqCrop else {
                throw InputError("recipe \(recipe.name): paired_crop \(gtCrop) is larger than the GT \(gtSize)")
            }
            var rng = stream("paired_crop")
            paired = PairedCropPlan(lqX: rng.int(in: 0...(lq.width - lqCrop)), lqY: rng.int(in: 0...(lq.height - lqCrop)),
                                    gtSize: gtCrop, scale: recipe.scale)
            builder.sizes = Array(repeating: FrameDims(width: lqCrop, height: lqCrop), count: frameCount)
        }

        return DegradationPlan(
            tool: "degrade \(DegradeVersion.string)", recipe: recipe.name, recipeHash: recipe.hash, seed: seed, key: key,
            clip: clip.key, sourceFrames: sourceFrames, sourceSize: FrameDims(width: clip.width, height: clip.height),
            crop: crop, hflip: hflip, vflip: vflip, transpose: transpose, mirror: c.mirror, unsharp: c.unsharp,
            lqFromUnsharp: c.lqFromUnsharp, gtSize: gtSize, frameCount: frameCount, steps: builder.steps,
            shuffles: builder.shuffles, pairedCrop: paired, lqSizes: builder.sizes, modCrop: modCrop,
            sampleVersion: DegradeVersion.sampleVersion, sourcePosition: SourcePosition(timeline: clip.timeline, start: start))
    }
}

extension Recipe {
    /// Stable hash of the recipe text (16 hex digits).
    public var hash: String {
        let h = StableHash.hash(source)
        return String(h, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

/// Walks the pipeline, resolving gates and shuffles into a flat list of steps while tracking frame sizes.
struct StepBuilder {
    let seed: UInt64
    let key: String
    let gtSize: FrameDims
    var sizes: [FrameDims]
    var steps: [PlanStep] = []
    var shuffles: [ShuffleDecision] = []

    init(seed: UInt64, key: String, gtSize: FrameDims, sizes: [FrameDims]) {
        self.seed = seed
        self.key = key
        self.gtSize = gtSize
        self.sizes = sizes
    }

    func stream(_ at: String) -> RandomStream { RandomStream(seed: seed, clip: key, stream: "plan:\(at)") }

    mutating func add(_ items: [RecipeItem]) throws {
        for item in items {
            switch item {
            case let .op(at, op): try add(op, at: at)
            case let .shuffle(at, groups, keepBefore):
                var rng = stream(at)
                var order = rng.permutation(groups.count)
                // BSRGAN: if entry j was drawn before entry i, swap their positions.
                for pair in keepBefore {
                    if let pi = order.firstIndex(of: pair[0]), let pj = order.firstIndex(of: pair[1]), pi > pj {
                        order.swapAt(pi, pj)
                    }
                }
                shuffles.append(ShuffleDecision(at: at, order: order))
                for g in order { try add(groups[g]) }
            }
        }
    }

    mutating func add(_ op: RecipeOp, at: String) throws {
        var rng = stream(at)
        let frames = sizes.count
        // Each op's gate is its stream's first draw; the op's parameters follow only when it is applied.
        let planned: PlanOp
        switch op {
        case let .blur(spec):
            planned = rng.bernoulli(spec.prob) ? .blur(BlurSampling.sample(spec, frames: frames, rng: &rng)) : .skipped(.blur)
        case let .motionBlur(spec):
            planned = rng.bernoulli(spec.prob) ? .motionBlur(MotionBlurSampling.sample(spec, frames: frames, rng: &rng)) : .skipped(.motionBlur)
        case let .resize(spec):
            if rng.bernoulli(spec.prob) {
                let plan = ResizeSampling.sample(spec, sizes: sizes, gtSize: gtSize, rng: &rng)
                // Checked while planning (exit 2), not when the resize runs half-way through a render.
                for size in plan.sizes {
                    if let problem = RecipeLimits.resizeProblem(width: size.width, height: size.height) {
                        throw InputError("\(at) (sample \(key), GT \(gtSize)): the output size \(problem); lower resize_scale, target_scale or target_size")
                    }
                }
                sizes = plan.sizes
                planned = .resize(plan)
            } else {
                planned = .skipped(.resize)
            }
        case let .noise(spec):
            planned = rng.bernoulli(spec.prob) ? .noise(NoiseSampling.sample(spec, frames: frames, rng: &rng)) : .skipped(.noise)
        case let .jpeg(spec):
            planned = rng.bernoulli(spec.prob) ? .jpeg(CompressionSampling.jpeg(spec, frames: frames, rng: &rng)) : .skipped(.jpeg)
        case let .video(spec):
            if rng.bernoulli(spec.prob) {
                planned = .video(CompressionSampling.video(spec, rng: &rng))
                // Frames that differ from frame 0 are rescaled to its size by the codec step.
                sizes = Array(repeating: sizes[0], count: frames)
            } else {
                planned = .skipped(.video)
            }
        case .quantize:
            planned = .quantize
        case .clip:
            planned = .clip
        }
        steps.append(PlanStep(at: at, op: planned))
    }
}
