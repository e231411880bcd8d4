import DegradeRandom

/// Draws JPEG qualities per frame and a clip's codec and rate: quality U(lo, hi) rounded, walked per frame; codec by `codec_prob`, bitrate an integer U[lo, hi].
enum CompressionSampling {
    static func jpeg(_ spec: JPEGSpec, frames: Int, rng: inout RandomStream) -> JPEGPlan {
        let lo = spec.quality.lowerBound, hi = spec.quality.upperBound
        if spec.integerQuality {
            let qs = (0..<frames).map { _ in rng.int(in: Int(lo.rounded(.up))...Int(hi)) }
            return JPEGPlan(qualities: qs, swapRB: spec.swapRB)
        }
        // mmedit: q0 = round(U(lo, hi)); then q = round(clip(q + U(−step, step), lo, hi)), half to even.
        var q = rng.uniform(lo, hi).rounded(.toNearestOrEven)
        var qs: [Int] = []
        for t in 0..<frames {
            qs.append(Int(q))
            if spec.qualityStep > 0 && t + 1 < frames {
                q = min(max(q + rng.uniform(-spec.qualityStep, spec.qualityStep), lo), hi).rounded(.toNearestOrEven)
            }
        }
        return JPEGPlan(qualities: qs, swapRB: spec.swapRB)
    }

    static func video(_ spec: VideoSpec, rng: inout RandomStream) -> VideoPlan {
        let codec = spec.codecs[rng.choice(weights: spec.codecProb)]
        if let q = spec.quality {
            return VideoPlan(codec: codec, bitrate: nil, quality: rng.int(in: Int(q.lowerBound)...Int(q.upperBound)))
        }
        let b = spec.bitrate ?? 1e4...1e5
        // np.random.randint(1e4, 1e5 + 1): a uniform integer, both ends included.
        return VideoPlan(codec: codec, bitrate: rng.int(in: Int(b.lowerBound)...Int(b.upperBound)), quality: nil)
    }
}
