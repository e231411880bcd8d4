import DegradeOps

/// Parses each op's parameters. Key names follow mmedit 0.x / mmagic where one exists (`kernel_list`,
/// `resize_mode_prob`, `gaussian_sigma`, …) so the recipes read like the configs users already know.
enum OpSpecParser {
    /// Key names of mmedit 0.x / mmagic params that degrade spells differently.
    static let blurAliases = [("rotate_angle", "rotation"), ("rotate_angle_step", "rotation_step")]

    static func blur(_ n: ConfigNode) throws -> BlurSpec {
        for (alias, name) in blurAliases { try n.alias(alias, for: name) }
        var b = BlurSpec()
        b.prob = try n.probability("prob", default: 1)
        if let sizes = try n.doubles("kernel_size") {
            b.kernelSizes = try sizes.map { d in
                guard d >= 1, d <= 51 else {
                    throw n.error("kernel_size", "\(ConfigNode.show(d)) is out of range", allowed: "odd integers within 1…51")
                }
                guard let k = ConfigNode.exactInt(d), k % 2 == 1 else {
                    throw n.error("kernel_size", "kernel sizes must be odd integers within 1…51, got \(ConfigNode.show(d))")
                }
                return k
            }
            guard !b.kernelSizes.isEmpty else { throw n.error("kernel_size", "needs at least one size") }
        }
        let names = KernelType.allCases.map(\.rawValue)
        if let list = try n.strings("kernel_list", allowed: names) {
            b.kernelList = list.compactMap(KernelType.init(rawValue:))
            b.kernelProb = try n.probabilities("kernel_prob", count: list.count,
                                               default: list.count == 1 ? [1] : nil)
        } else {
            b.kernelProb = try n.probabilities("kernel_prob", count: b.kernelList.count, default: b.kernelProb)
        }
        b.sincProb = try n.probability("sinc_prob", default: 0)
        b.sigmaX = try n.range("sigma_x", default: b.sigmaX, within: 0.01...100)
        b.sigmaY = try n.range("sigma_y", default: b.sigmaY, within: 0.01...100)
        b.rotation = try n.range("rotation", default: b.rotation, within: -2 * .pi...2 * .pi)
        b.betaGaussian = try n.range("beta_gaussian", default: b.betaGaussian, within: 0.01...100)
        b.betaPlateau = try n.range("beta_plateau", default: b.betaPlateau, within: 0.01...100)
        b.omega = try n.optionalRange("omega", within: 0.01...4)  // mmedit writes π as 3.1416
        b.sigmaXStep = try n.double("sigma_x_step", default: 0, in: 0...100)
        b.sigmaYStep = try n.double("sigma_y_step", default: 0, in: 0...100)
        b.rotationStep = try n.double("rotation_step", default: 0, in: 0...10)
        b.betaGaussianStep = try n.double("beta_gaussian_step", default: 0, in: 0...100)
        b.betaPlateauStep = try n.double("beta_plateau_step", default: 0, in: 0...100)
        b.omegaStep = try n.double("omega_step", default: 0, in: 0...10)
        b.betaRule = BetaRule(rawValue: try n.string("beta_rule", default: b.betaRule.rawValue, allowed: BetaRule.allCases.map(\.rawValue))) ?? b.betaRule
        if n.has("beta_redraw_quirk") {
            // The flag this rule replaced; `true` asked for mmedit's per-frame β.
            if try n.bool("beta_redraw_quirk", default: false) {
                guard !n.has("beta_rule") || b.betaRule == .mmedit else {
                    throw n.error("beta_redraw_quirk", "contradicts beta_rule: \(b.betaRule.rawValue); write only `beta_rule: mmedit`")
                }
                b.betaRule = .mmedit
            }
        }
        if let pad = try n.optionalInt("pad_to", in: 1...51) {
            guard pad % 2 == 1, pad >= (b.kernelSizes.max() ?? 1) else {
                throw n.error("pad_to", "must be odd and at least the largest kernel size")
            }
            b.padTo = pad
        }
        b.kernelNoise = try n.optionalRange("kernel_noise", within: 0...10)
        b.bsrganScale = try n.double("bsrgan_scale", default: 4, in: 1...8)
        return b
    }

    static func motionBlur(_ n: ConfigNode) throws -> MotionBlurSpec {
        var m = MotionBlurSpec()
        m.prob = try n.probability("prob", default: 1)
        m.length = try n.range("length", default: m.length, within: 0...49)  // 49 px still fits the 51-tap kernel limit
        m.angle = try n.range("angle", default: m.angle, within: -2 * .pi...2 * .pi)
        m.lengthStep = try n.double("length_step", default: 0, in: 0...49)
        m.angleStep = try n.double("angle_step", default: 0, in: 0...10)
        return m
    }

    static func resize(_ n: ConfigNode) throws -> ResizeSpec {
        var r = ResizeSpec()
        r.prob = try n.probability("prob", default: 1)
        r.modeProb = try n.probabilities("resize_mode_prob", count: 3, default: r.modeProb)
        r.scale = try n.range("resize_scale", default: r.scale, within: 0.001...16)
        r.reciprocalScale = try n.optionalRange("reciprocal_scale", within: 1...64)
        let names = Interpolation.allCases.map(\.rawValue)
        if let opts = try n.strings("resize_opt", allowed: names) {
            r.interpolations = opts.compactMap(Interpolation.init(rawValue:))
            r.interpolationProb = try n.probabilities("resize_prob", count: opts.count,
                                                      default: Array(repeating: 1 / Double(opts.count), count: opts.count))
        } else {
            r.interpolationProb = try n.probabilities("resize_prob", count: r.interpolations.count, default: r.interpolationProb)
        }
        r.step = try n.double("resize_step", default: 0, in: 0...10)
        r.evenSize = try n.bool("is_size_even", default: false)
        if let size = try n.doubles("target_size") {
            let pixels = size.compactMap(ConfigNode.exactInt)
            guard size.count == 2, pixels.count == 2, pixels.allSatisfy({ $0 >= 1 }) else {
                throw n.error("target_size", "expected [height, width], two whole numbers of pixels ≥ 1, got [\(size.map(ConfigNode.show).joined(separator: ", "))]")
            }
            if let problem = RecipeLimits.resizeProblem(width: pixels[1], height: pixels[0]) {
                throw n.error("target_size", "[\(pixels[0]), \(pixels[1])] is out of range: \(problem)")
            }
            r.targetSize = pixels
        }
        r.targetScale = try n.optionalDouble("target_scale", in: 0.001...16)
        r.relativeToGT = try n.string("relative_to", default: "current", allowed: ["current", "gt"]) == "gt"
        r.referenceScale = try n.double("reference_scale", default: 1, in: 0.001...16)
        if r.targetSize != nil && r.targetScale != nil {
            throw n.error("target_scale", "give either target_size or target_scale, not both")
        }
        return r
    }

    static func noise(_ n: ConfigNode) throws -> NoiseSpec {
        var s = NoiseSpec()
        s.prob = try n.probability("prob", default: 1)
        if let types = try n.strings("noise_type", allowed: NoiseType.allCases.map(\.rawValue)) {
            s.types = types.compactMap(NoiseType.init(rawValue:))
            s.typeProb = try n.probabilities("noise_prob", count: types.count, default: types.count == 1 ? [1] : nil)
        } else {
            s.typeProb = try n.probabilities("noise_prob", count: s.types.count, default: s.typeProb)
        }
        s.gaussianSigma = try n.range("gaussian_sigma", default: s.gaussianSigma, within: 0...255)
        s.gaussianSigmaStep = try n.double("gaussian_sigma_step", default: 0, in: 0...255)
        s.gaussianGrayProb = try n.probability("gaussian_gray_noise_prob", default: s.gaussianGrayProb)
        s.gaussianSigmaInteger = try n.bool("gaussian_sigma_integer", default: false)
        if s.gaussianSigmaInteger { try requireWholeNumber(in: s.gaussianSigma, n, "gaussian_sigma", because: "gaussian_sigma_integer") }
        s.poissonScale = try n.range("poisson_scale", default: s.poissonScale, within: 0...100)
        s.poissonScaleStep = try n.double("poisson_scale_step", default: 0, in: 0...100)
        s.poissonGrayProb = try n.probability("poisson_gray_noise_prob", default: s.poissonGrayProb)
        s.correlatedLevel = try n.double("correlated_level", default: 25, in: 0...255)
        s.clip = try n.bool("clip", default: false)
        return s
    }

    static func jpeg(_ n: ConfigNode) throws -> JPEGSpec {
        var j = JPEGSpec()
        j.prob = try n.probability("prob", default: 1)
        j.quality = try n.range("quality", default: j.quality, within: 1...100)
        j.qualityStep = try n.double("quality_step", default: 0, in: 0...100)
        j.integerQuality = try n.bool("integer_quality", default: false)
        if j.integerQuality { try requireWholeNumber(in: j.quality, n, "quality", because: "integer_quality") }
        j.swapRB = try n.bool("swap_rb", default: false)
        return j
    }

    /// A range drawn as a uniform integer must hold one (`[30.5, 30.7]` holds none).
    static func requireWholeNumber(in range: ClosedRange<Double>, _ n: ConfigNode, _ key: String, because flag: String) throws {
        guard range.lowerBound.rounded(.up) <= range.upperBound.rounded(.down) else {
            throw n.error(key, "[\(ConfigNode.show(range.lowerBound)), \(ConfigNode.show(range.upperBound))] holds no whole number, and \(flag) draws one")
        }
    }

    /// Codec names as the references spell them, with `h264` resolving to libx264 as it does in PyAV.
    static let codecAliases: [String: VideoCodec] = [
        "h264": .libx264, "hevc": .libx265, "h265": .libx265, "vp9": .libvpxVP9, "av1": .libsvtav1,
    ]

    static func video(_ n: ConfigNode) throws -> VideoSpec {
        var v = VideoSpec()
        v.prob = try n.probability("prob", default: 1)
        let names = VideoCodec.allCases.map(\.rawValue) + codecAliases.keys.sorted()
        if let codecs = try n.strings("codec", allowed: names) {
            v.codecs = codecs.map { VideoCodec(rawValue: $0) ?? codecAliases[$0]! }
            v.codecProb = try n.probabilities("codec_prob", count: codecs.count,
                                              default: Array(repeating: 1 / Double(codecs.count), count: codecs.count))
        } else {
            v.codecProb = try n.probabilities("codec_prob", count: v.codecs.count, default: v.codecProb)
        }
        for codec in Set(v.codecs) where !VideoCompression.isAvailable(codec) {
            throw n.error("codec", "`\(codec.rawValue)` is not available in this FFmpeg build",
                          allowed: VideoCodec.allCases.filter(VideoCompression.isAvailable).map(\.rawValue).joined(separator: ", "))
        }
        if n.has("bitrate") && n.has("quality") { throw n.error("quality", "give either bitrate or quality, not both") }
        v.quality = try n.optionalRange("quality", within: 0...63)
        let bitrate = try n.optionalRange("bitrate", within: 1000...1e9)
        v.bitrate = v.quality == nil ? bitrate ?? 1e4...1e5 : nil
        return v
    }
}
