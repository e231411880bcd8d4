import Foundation
import Yams

/// A Real-ESRGAN / BasicSR option file (`train_realesrgan_x4plus.yml` style): the model's degradation keys at
/// the top level, the dataset's kernel keys under `datasets.train`. What each key means is fixed by
/// Real-ESRGAN's `realesrgan_dataset.py` (kernels, sinc, crop) and `realesrgan_model.py` (the two orders, the
/// final unit); the values that code hard-codes are written into the recipe with a comment saying so.
enum BasicSRImport {
    /// The option keys and where each was written.
    struct Options {
        struct Entry { var section: String; var key: String; var node: Node; var line: Int? }
        var file: String
        var entries: [Entry] = []
        var used: Set<String> = []

        func find(_ key: String) -> Entry? {
            entries.first { $0.key == key && $0.section == "" } ?? entries.first { $0.key == key && $0.section == "datasets.train" }
        }

        mutating func take(_ key: String) -> Entry? {
            guard let e = find(key) else { return nil }
            for x in entries where x.key == key { used.insert(x.section + "." + x.key) }
            return e
        }

        func fail(_ e: Entry, _ expected: String) -> RecipeError {
            RecipeError(file: file, line: e.line, key: e.section.isEmpty ? e.key : "\(e.section).\(e.key)",
                        message: "expected \(expected), got \(ConfigNode.kind(e.node))")
        }

        func where_(_ e: Entry) -> String { "\(e.section.isEmpty ? "" : e.section + ".")\(e.key) (line \(e.line.map(String.init) ?? "?"))" }
    }

    static func run(_ path: String) throws -> RecipeImport {
        let text = try RecipeText.read(path)
        let top = try ConfigNode.parseDocument(text, file: path)
        guard case let .mapping(m) = top.node else { throw InputError("\(path): expected a mapping of option keys") }
        var o = Options(file: path)
        for (k, v) in m {
            guard let key = k.string else { continue }
            if key == "datasets", case let .mapping(ds) = v {
                for (dk, dv) in ds {
                    guard let dname = dk.string else { continue }
                    if dname == "train", case let .mapping(train) = dv {
                        for (tk, tv) in train { if let t = tk.string { o.entries.append(.init(section: "datasets.train", key: t, node: tv, line: tk.mark?.line)) } }
                    } else {
                        o.entries.append(.init(section: "datasets", key: dname, node: dv, line: dk.mark?.line))
                    }
                }
            } else {
                o.entries.append(.init(section: "", key: key, node: v, line: k.mark?.line))
            }
        }
        var notes = ImportNotes()
        var d = RecipeDraft()
        let base = URL(fileURLWithPath: path).lastPathComponent

        // Values, each checked and turned into recipe text, with the note saying where it went.
        func number(_ key: String, default def: Double, to target: String) throws -> (Double, String) {
            guard let e = o.take(key) else {
                notes.add(.different, path, nil, key, "not given: Real-ESRGAN x4plus's \(RecipeDraft.number(def)) used for \(target)")
                return (def, "Real-ESRGAN x4plus default (\(key) not given)")
            }
            guard let v = ConfigNode.number(e.node) else { throw o.fail(e, "a number") }
            notes.add(.exact, path, e.line, key, "→ \(target)")
            return (v, o.where_(e))
        }
        func range(_ key: String, default def: [Double], to target: String) throws -> (String, String) {
            guard let e = o.take(key) else {
                notes.add(.different, path, nil, key, "not given: Real-ESRGAN x4plus's \(RecipeDraft.list(def.map(RecipeDraft.number))) used for \(target)")
                return (RecipeDraft.list(def.map(RecipeDraft.number)), "Real-ESRGAN x4plus default (\(key) not given)")
            }
            guard case let .sequence(seq) = e.node else { throw o.fail(e, "a list of numbers") }
            let values = try seq.map { n -> Double in
                guard let v = ConfigNode.number(n) else { throw o.fail(e, "a list of numbers") }
                return v
            }
            notes.add(.exact, path, e.line, key, "→ \(target)")
            return (RecipeDraft.list(values.map(RecipeDraft.number)), o.where_(e))
        }
        func names(_ key: String, default def: [String], to target: String) throws -> (String, String) {
            guard let e = o.take(key) else {
                notes.add(.different, path, nil, key, "not given: Real-ESRGAN x4plus's list used for \(target)")
                return (RecipeDraft.list(def), "Real-ESRGAN x4plus default (\(key) not given)")
            }
            guard case let .sequence(seq) = e.node else { throw o.fail(e, "a list of names") }
            let values = try seq.map { n -> String in
                guard case let .scalar(s) = n else { throw o.fail(e, "a list of names") }
                return RecipeDraft.name(s.string)
            }
            notes.add(.exact, path, e.line, key, "→ \(target)")
            return (RecipeDraft.list(values), o.where_(e))
        }
        func flag(_ key: String, default def: Bool) throws -> (Bool, Int?) {
            guard let e = o.take(key) else { return (def, nil) }
            guard case let .scalar(s) = e.node, let b = Bool.construct(from: s) else { throw o.fail(e, "true or false") }
            return (b, e.line)
        }

        let nameEntry = o.take("name")
        if let e = nameEntry { notes.add(.exact, path, e.line, e.section.isEmpty ? "name" : "\(e.section).name", "→ name") }
        let name = nameEntry.flatMap { $0.node.string } ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        d.header = ["Imported by `degrade recipe import` from \(base) (BasicSR / Real-ESRGAN options).",
                    "Each value's comment names the option it came from; \"fixed\" values are hard-coded in Real-ESRGAN's",
                    "realesrgan_dataset.py / realesrgan_model.py. Per-batch draws there are per-sample here."]
        d.set("name", RecipeDraft.name(name), "name")
        let (scale, scaleFrom) = try number("scale", default: 4, to: "scale (LQ = GT / scale)")
        guard scale == scale.rounded(), (1...16).contains(scale) else {
            throw RecipeError(file: path, line: o.find("scale")?.line, key: "scale", message: "expected a whole scale within 1…16, got \(RecipeDraft.number(scale))")
        }
        d.set("scale", RecipeDraft.number(scale), scaleFrom)
        d.set("frames", "1", "image SR: one frame per sample")
        d.set("crop", "{size: 400, pad_if_smaller: true}", "fixed: crop_pad_size 400, reflect-101 pad then random crop")
        let (hflip, hLine) = try flag("use_hflip", default: true)
        let (rot, rLine) = try flag("use_rot", default: false)
        notes.add(.exact, path, hLine, "use_hflip", "→ flip.horizontal \(hflip ? "0.5" : "0")")
        notes.add(.exact, path, rLine, "use_rot", "→ flip.vertical and flip.transpose \(rot ? "0.5" : "0") (BasicSR augment: vflip, then rot90 as a transpose)")
        var flips: [String] = []
        if hflip { flips.append("horizontal: 0.5") }
        if rot { flips += ["vertical: 0.5", "transpose: 0.5"] }
        if !flips.isEmpty { d.set("flip", "{\(flips.joined(separator: ", "))}", "use_hflip / use_rot (BasicSR augment)") }
        d.set("unsharp", "{kernel_size: 51, sigma: 0, weight: 0.5, threshold: 10}", "fixed: USMSharp(radius 50), usm_sharp weight 0.5, threshold 10")
        d.set("lq_from", "gt_unsharp", "fixed: realesrgan_model degrades gt_usm")
        let (gtSize, gtFrom) = try number("gt_size", default: 256, to: "paired_crop (GT gt_size, LQ gt_size / scale)")
        d.set("paired_crop", RecipeDraft.number(gtSize), gtFrom)

        let kernelSizes = "[7, 9, 11, 13, 15, 17, 19, 21]"
        var finalJPEG: (String, String)? = nil
        for order in [1, 2] {
            let sfx = order == 1 ? "" : "2"
            var blur: [RecipeDraft.Field] = []
            if order == 2 {
                let (p, from) = try number("second_blur_prob", default: 0.8, to: "the second blur's prob")
                blur.append(.init(key: "prob", value: RecipeDraft.number(p), comment: from))
            }
            blur.append(.init(key: "kernel_size", value: kernelSizes, comment: "fixed: kernel_range 2·v+1 for v in 3…10"))
            if let e = o.take("blur_kernel_size\(sfx)") {
                let v = ConfigNode.number(e.node)
                notes.add(v == 21 ? .exact : .different, path, e.line, "blur_kernel_size\(sfx)",
                          "the size kernels are padded to; Real-ESRGAN pads to 21 whatever it says, as degrade does (pad_to 21)")
            }
            let (sincP, sincFrom) = try number("sinc_prob\(sfx)", default: 0.1, to: "blur.sinc_prob")
            blur.append(.init(key: "sinc_prob", value: RecipeDraft.number(sincP), comment: sincFrom))
            let defaultKinds = ["iso", "aniso", "generalized_iso", "generalized_aniso", "plateau_iso", "plateau_aniso"]
            let (kinds, kindsFrom) = try names("kernel_list\(sfx)", default: defaultKinds, to: "blur.kernel_list")
            blur.append(.init(key: "kernel_list", value: kinds, comment: kindsFrom))
            let (probs, probsFrom) = try range("kernel_prob\(sfx)", default: [0.45, 0.25, 0.12, 0.03, 0.12, 0.03], to: "blur.kernel_prob")
            blur.append(.init(key: "kernel_prob", value: probs, comment: probsFrom))
            let (sigma, sigmaFrom) = try range("blur_sigma\(sfx)", default: order == 1 ? [0.2, 3] : [0.2, 1.5], to: "blur.sigma_x and sigma_y")
            blur.append(.init(key: "sigma_x", value: sigma, comment: sigmaFrom))
            blur.append(.init(key: "sigma_y", value: sigma, comment: sigmaFrom))
            blur.append(.init(key: "rotation", value: "[-pi, pi]", comment: "fixed: rotation_range [-π, π]"))
            let (bg, bgFrom) = try range("betag_range\(sfx)", default: [0.5, 4], to: "blur.beta_gaussian")
            blur.append(.init(key: "beta_gaussian", value: bg, comment: bgFrom))
            let (bp, bpFrom) = try range("betap_range\(sfx)", default: [1, 2], to: "blur.beta_plateau")
            blur.append(.init(key: "beta_plateau", value: bp, comment: bpFrom))
            d.pipeline.append(.op(name: "blur", fields: blur, comment: order == 1 ? "---- first order ----" : "---- second order ----"))

            var resize: [RecipeDraft.Field] = []
            let (mode, modeFrom) = try range("resize_prob\(sfx)", default: order == 1 ? [0.2, 0.7, 0.1] : [0.3, 0.4, 0.3], to: "resize.resize_mode_prob")
            resize.append(.init(key: "resize_mode_prob", value: mode, comment: modeFrom + ": up, down, keep"))
            let (rs, rsFrom) = try range("resize_range\(sfx)", default: order == 1 ? [0.15, 1.5] : [0.3, 1.2], to: "resize.resize_scale")
            resize.append(.init(key: "resize_scale", value: rs, comment: rsFrom))
            resize.append(.init(key: "resize_opt", value: "[area, bilinear, bicubic]", comment: "fixed: random.choice of three modes"))
            if order == 2 {
                resize.append(.init(key: "relative_to", value: "gt", comment: "fixed: int(H / scale · s)"))
                resize.append(.init(key: "reference_scale", value: RecipeDraft.number(1 / scale), comment: "1 / scale"))
            }
            d.pipeline.append(.op(name: "resize", fields: resize, comment: ""))

            var noise: [RecipeDraft.Field] = []
            let (gp, gpFrom) = try number("gaussian_noise_prob\(sfx)", default: 0.5, to: "noise.noise_prob [p, 1 − p]")
            noise.append(.init(key: "noise_type", value: "[gaussian, poisson]", comment: "fixed"))
            noise.append(.init(key: "noise_prob", value: RecipeDraft.list([RecipeDraft.number(gp), RecipeDraft.number(1 - gp)]), comment: gpFrom))
            let (nr, nrFrom) = try range("noise_range\(sfx)", default: order == 1 ? [1, 30] : [1, 25], to: "noise.gaussian_sigma")
            noise.append(.init(key: "gaussian_sigma", value: nr, comment: nrFrom))
            let (ps, psFrom) = try range("poisson_scale_range\(sfx)", default: order == 1 ? [0.05, 3] : [0.05, 2.5], to: "noise.poisson_scale")
            noise.append(.init(key: "poisson_scale", value: ps, comment: psFrom))
            let (gray, grayFrom) = try number("gray_noise_prob\(sfx)", default: 0.4, to: "noise gray probabilities (Gaussian and Poisson)")
            noise.append(.init(key: "gaussian_gray_noise_prob", value: RecipeDraft.number(gray), comment: grayFrom))
            noise.append(.init(key: "poisson_gray_noise_prob", value: RecipeDraft.number(gray), comment: grayFrom))
            noise.append(.init(key: "clip", value: "true", comment: "fixed: clip=True"))
            d.pipeline.append(.op(name: "noise", fields: noise, comment: ""))

            let (q, qFrom) = try range("jpeg_range\(sfx)", default: [30, 95], to: "jpeg.quality")
            if o.find("jpeg_range\(sfx)") != nil, let last = notes.notes.indices.last {
                notes.notes[last].status = .different
                notes.notes[last].detail += ": libjpeg at the rounded quality instead of DiffJPEG (same quality distribution)"
            }
            if order == 1 {
                d.pipeline.append(.op(name: "jpeg", fields: [.init(key: "quality", value: q, comment: qFrom)], comment: ""))
            } else {
                // The second order's JPEG sits in the final unit; keep its quality for there.
                finalJPEG = (q, qFrom)
            }
        }
        let (fs, fsFrom) = try number("final_sinc_prob", default: 0.8, to: "the final sinc blur's prob")
        let finalResize = RecipeDraft.Item.op(name: "resize", fields: [
            .init(key: "target_scale", value: RecipeDraft.number(1 / scale), comment: "fixed: (H // scale, W // scale)"),
            .init(key: "resize_opt", value: "[area, bilinear, bicubic]", comment: "fixed")], comment: "")
        let finalSinc = RecipeDraft.Item.op(name: "blur", fields: [
            .init(key: "prob", value: RecipeDraft.number(fs), comment: fsFrom),
            .init(key: "kernel_size", value: kernelSizes, comment: "fixed: kernel_range"),
            .init(key: "kernel_list", value: "[sinc]", comment: "fixed"),
            .init(key: "omega", value: "[pi/3, pi]", comment: "fixed: U(π/3, π)")], comment: "")
        let q2 = finalJPEG ?? ("[30, 95]", "default")
        d.pipeline.append(.shuffle(groups: [[finalResize, finalSinc],
                                            [.bare(name: "clip", comment: "fixed: clamp before JPEG"),
                                             .op(name: "jpeg", fields: [.init(key: "quality", value: q2.0, comment: q2.1)], comment: "")]],
                                   comment: "---- final: [resize + sinc] and [clamp + JPEG], each order with p 0.5 (fixed) ----"))
        d.pipeline.append(.bare(name: "quantize", comment: "fixed: round(255·x) / 255"))

        // Everything else, each named once.
        let known: [String: (RecipeImport.Status, String)] = [
            "l1_gt_usm": (.unsupported, "which GT the loss uses: a train config setting (loss.sharpened_gt), not a degradation"),
            "percep_gt_usm": (.unsupported, "perceptual-loss target: a train config setting, not a degradation"),
            "gan_gt_usm": (.unsupported, "GAN-loss target: a train config setting, not a degradation"),
            "queue_size": (.different, "Real-ESRGAN's training-pair pool shuffles samples across batches; degrade samples are independent already"),
            "model_type": (.unsupported, "a training setting, not a degradation"),
        ]
        for e in o.entries where !o.used.contains(e.section + "." + e.key) {
            let fullKey = e.section.isEmpty ? e.key : "\(e.section).\(e.key)"
            if let (status, why) = known[e.key] {
                notes.add(status, path, e.line, fullKey, why)
            } else {
                notes.add(.unsupported, path, e.line, fullKey, "not a degradation setting: ignored")
            }
        }
        return RecipeImport(format: "BasicSR / Real-ESRGAN option file", source: path, recipeText: d.text, notes: notes.notes)
    }
}
