import Foundation

/// An mmedit 0.x / mmagic 1.x config: its `train_pipeline` transforms become the recipe's clip preparation
/// and ops. The degradation transforms' `params` use degrade's key names already (degrade followed mmedit),
/// except the few renamed ones (`rotate_angle` → `rotation`), which both accept.
enum MMEditImport {
    /// Params each degradation transform may carry, by degrade op; any other key is reported and dropped.
    static let opKeys: [String: [String]] = [
        "blur": ["prob", "kernel_size", "kernel_list", "kernel_prob", "sigma_x", "sigma_y", "rotation", "beta_gaussian",
                 "beta_plateau", "omega", "sigma_x_step", "sigma_y_step", "rotation_step", "beta_gaussian_step",
                 "beta_plateau_step", "omega_step"],
        "resize": ["prob", "resize_mode_prob", "resize_scale", "resize_opt", "resize_prob", "resize_step", "is_size_even", "target_size"],
        "noise": ["prob", "noise_type", "noise_prob", "gaussian_sigma", "gaussian_gray_noise_prob", "gaussian_sigma_step",
                  "poisson_scale", "poisson_gray_noise_prob", "poisson_scale_step"],
        "jpeg": ["prob", "quality", "quality_step"],
        "video": ["prob", "codec", "codec_prob", "bitrate"],
    ]
    static let transformOps = ["RandomBlur": "blur", "RandomResize": "resize", "RandomNoise": "noise",
                               "RandomJPEGCompression": "jpeg", "RandomVideoCompression": "video"]
    /// Loading, conversion and packing steps: implicit in degrade.
    static let plumbing: Set<String> = ["LoadImageFromFileList", "LoadImageFromFile", "RescaleToZeroOne", "FramesToTensor",
                                        "Collect", "PackEditInputs", "PackInputs", "ImageToTensor", "ToTensor", "SetValues"]

    static func run(_ path: String) throws -> RecipeImport {
        let cfg = try PythonConfig.load(path)
        var notes = ImportNotes()
        for u in cfg.unsupported { notes.add(.unsupported, u.file, u.line, "statement", u.what) }
        guard let (pipelineValue, pfile, pline) = cfg.binding("train_pipeline") else {
            throw InputError("\(path): no `train_pipeline = [...]` found (in the file or its _base_ files)")
        }
        if case let .unsupported(l, reason) = pipelineValue {
            throw RecipeError(file: pfile, line: l, key: "train_pipeline", message: "not read: \(reason)")
        }
        guard let steps = pipelineValue.list else {
            throw RecipeError(file: pfile, line: pline, key: "train_pipeline", message: "expected a list of transforms, got \(pipelineValue.kind)")
        }
        var d = RecipeDraft()
        let base = URL(fileURLWithPath: path).lastPathComponent
        d.header = ["Imported by `degrade recipe import` from \(base) (mmedit 0.x / mmagic 1.x config, read as literals).",
                    "Each value's comment names the transform and line it came from."]
        let name = (cfg["exp_name"] ?? cfg["experiment_name"])?.string ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        d.set("name", RecipeDraft.name(name), "exp_name / experiment_name")
        if let (v, f, l) = cfg.binding("scale") {
            guard let s = v.number, s == s.rounded(), (1...16).contains(s) else {
                throw RecipeError(file: f, line: l, key: "scale", message: "expected a whole scale within 1…16, got \(v.kind)")
            }
            d.set("scale", RecipeDraft.number(s), "scale (\(URL(fileURLWithPath: f).lastPathComponent):\(l))")
            notes.add(.exact, f, l, "scale", "→ scale")
        }
        if let (n, where_) = numInputFrames(cfg) {
            d.set("frames", RecipeDraft.number(n), where_)
        }
        var flips: [String: (Double, String)] = [:]
        var context = Context(notes: notes)
        for (i, step) in steps.enumerated() {
            let at = "train_pipeline[\(i)]"
            guard let t = step.dict, let type = t["type"]?.string else {
                context.notes.add(.unsupported, pfile, pline, at, "a transform that is not dict(type=…): \(step.kind)")
                continue
            }
            let file = t.file, line = t.line
            let src = "\(at) \(type) (line \(line))"
            switch type {
            case _ where plumbing.contains(type):
                context.notes.add(.exact, file, line, "\(at) \(type)", "loading / packing: implicit in degrade")
            case "GenerateSegmentIndices":
                let intervals = t["interval_list"]?.list?.compactMap(\.number) ?? [1]
                if Set(intervals).count > 1 {
                    context.notes.add(.different, file, line, "\(at) \(type).interval_list", "one interval per recipe: the first, \(RecipeDraft.number(intervals[0])), is used")
                } else {
                    context.notes.add(.exact, file, line, "\(at) \(type)", "→ frame_interval; frames from num_input_frames")
                }
                d.set("frame_interval", RecipeDraft.number(intervals.first ?? 1), src)
            case "FixedCrop", "CropSequence", "Crop":
                guard let size = t["crop_size"]?.list?.compactMap(\.number), size.count == 2, size[0] == size[1] else {
                    context.notes.add(.unsupported, file, t.line(of: "crop_size"), "\(at) \(type).crop_size", "only square crops (h = w) are supported")
                    continue
                }
                d.set("crop", "{size: \(RecipeDraft.number(size[0]))}", src)
                context.notes.add(.exact, file, line, "\(at) \(type)", "→ crop.size (one random position for every frame)")
            case "Flip":
                let ratio = t["flip_ratio"]?.number ?? 0.5
                let dir = t["direction"]?.string ?? "horizontal"
                guard dir == "horizontal" || dir == "vertical" else {
                    context.notes.add(.unsupported, file, line, "\(at) Flip.direction", "'\(dir)' is not horizontal or vertical")
                    continue
                }
                flips[dir] = (ratio, src)
                context.notes.add(.exact, file, line, "\(at) Flip", "→ flip.\(dir)")
            case "RandomTransposeHW":
                flips["transpose"] = (t["transpose_ratio"]?.number ?? 0.5, src)
                context.notes.add(.exact, file, line, "\(at) \(type)", "→ flip.transpose")
            case "MirrorSequence":
                d.set("mirror", "true", src)
                context.notes.add(.exact, file, line, "\(at) \(type)", "→ mirror")
            case "UnsharpMasking":
                let k = t["kernel_size"]?.number ?? 51, s = t["sigma"]?.number ?? 0
                let w = t["weight"]?.number ?? 0.5, th = t["threshold"]?.number ?? 10
                d.set("unsharp", "{kernel_size: \(RecipeDraft.number(k)), sigma: \(RecipeDraft.number(s)), weight: \(RecipeDraft.number(w)), threshold: \(RecipeDraft.number(th))}", src)
                context.notes.add(.exact, file, line, "\(at) \(type)", "→ unsharp")
            case "CopyValues":
                let from = t["src_keys"]?.list?.first?.string ?? "gt"
                d.set("lq_from", from == "gt_unsharp" ? "gt_unsharp" : "gt", src)
                context.notes.add(.exact, file, line, "\(at) \(type)", "→ lq_from \(from == "gt_unsharp" ? "gt_unsharp" : "gt")")
            case "Quantize", "Clip":
                d.pipeline.append(.bare(name: "quantize", comment: src))
                context.notes.add(type == "Quantize" ? .exact : .different, file, line, "\(at) \(type)",
                                  type == "Quantize" ? "→ quantize" : "→ quantize: mmagic clips to 0…255 and the frames are stored as 8 bits; degrade rounds and clips in one step")
            default:
                if let item = try context.degradation(t, at: at) { d.pipeline.append(item) }
            }
        }
        notes = context.notes
        if !flips.isEmpty {
            let parts = ["horizontal", "vertical", "transpose"].compactMap { k in flips[k].map { "\(k): \(RecipeDraft.number($0.0))" } }
            d.set("flip", "{\(parts.joined(separator: ", "))}", flips.values.map(\.1).sorted().joined(separator: "; "))
        }
        // Move the top-level keys into the order recipes/README.md documents them.
        let order = ["name", "scale", "frames", "frame_interval", "crop", "flip", "mirror", "unsharp", "lq_from"]
        d.top.sort { (order.firstIndex(of: $0.key) ?? 99) < (order.firstIndex(of: $1.key) ?? 99) }
        if let (f, l) = cfg.base { notes.add(.exact, f, l, "_base_", "followed inside the config's folder: its values are merged in") }
        for b in cfg.bindings where !["train_pipeline", "scale", "_base_"].contains(b.name) {
            if case .unsupported = b.value { continue }  // reported with its statement already
            if cfg.referenced.contains(b.name) {
                notes.add(.exact, b.file, b.line, b.name, "a value the config uses by name: imported where it is used")
            } else {
                notes.add(.unsupported, b.file, b.line, b.name, "not a degradation setting: ignored")
            }
        }
        return RecipeImport(format: "mmedit 0.x / mmagic 1.x Python config", source: path, recipeText: d.text, notes: notes.notes)
    }

    /// `num_input_frames` of the training dataset: mmagic's `train_dataloader.dataset`, mmedit's `data.train`
    /// (possibly inside a RepeatDataset).
    static func numInputFrames(_ cfg: PythonConfig) -> (Double, String)? {
        func search(_ v: PythonValue, _ path: String) -> (Double, String)? {
            guard let d = v.dict else { return nil }
            if let n = d["num_input_frames"]?.number { return (n, "\(path).num_input_frames (line \(d.line(of: "num_input_frames")))") }
            for e in d.entries where e.key == "dataset" || e.key == "train" {
                if let found = search(e.value, "\(path).\(e.key)") { return found }
            }
            return nil
        }
        if let v = cfg["train_dataloader"], let f = search(v, "train_dataloader") { return f }
        if let v = cfg["data"], let f = search(v, "data") { return f }
        return nil
    }

    /// Turns degradation transforms into ops, collecting notes.
    struct Context {
        var notes: ImportNotes

        mutating func degradation(_ t: PythonDict, at: String) throws -> RecipeDraft.Item? {
            let type = t["type"]?.string ?? "?"
            let src = "\(at) \(type) (line \(t.line))"
            if type == "DegradationsWithShuffle" {
                guard let entries = t["degradations"]?.list else {
                    notes.add(.unsupported, t.file, t.line, "\(at) \(type)", "no degradations list")
                    return nil
                }
                var groups: [[RecipeDraft.Item]] = []
                for (k, entry) in entries.enumerated() {
                    let inner = "\(at).degradations[\(k)]"
                    if let list = entry.list {
                        var group: [RecipeDraft.Item] = []
                        for (j, e) in list.enumerated() {
                            guard let dict = e.dict else { continue }
                            if let item = try degradation(dict, at: "\(inner)[\(j)]") { group.append(item) }
                        }
                        if !group.isEmpty { groups.append(group) }
                    } else if let dict = entry.dict, let item = try degradation(dict, at: inner) {
                        groups.append([item])
                    }
                }
                notes.add(.exact, t.file, t.line, "\(at) \(type)", "→ shuffle (nested lists keep their order)")
                return .shuffle(groups: groups, comment: src)
            }
            guard let op = MMEditImport.transformOps[type] else {
                notes.add(.unsupported, t.file, t.line, "\(at) \(type)", "no degrade equivalent: left out")
                return nil
            }
            guard let params = t["params"]?.dict else {
                notes.add(.unsupported, t.file, t.line, "\(at) \(type)", "no params=dict(…): left out")
                return nil
            }
            var fields: [RecipeDraft.Field] = []
            let allowed = MMEditImport.opKeys[op] ?? []
            for e in params.entries {
                var key = e.key
                if op == "blur", let renamed = OpSpecParser.blurAliases.first(where: { $0.0 == key })?.1 { key = renamed }
                let label = "\(at) \(type).params.\(e.key)"
                guard allowed.contains(key) else {
                    notes.add(.unsupported, params.file, e.line, label, "not a parameter degrade's \(op) takes: left out")
                    continue
                }
                let text = try MMEditImport.yaml(e.value, file: params.file, key: label)
                fields.append(.init(key: key, value: text, comment: "\(e.key) (line \(e.line))"))
                notes.add(.exact, params.file, e.line, label, key == e.key ? "→ \(op).\(key)" : "→ \(op).\(key) (renamed)")
            }
            switch op {
            case "blur":
                fields.append(.init(key: "beta_rule", value: "mmedit", comment: "mmedit's RandomBlur draws β per frame in [walked β, 1]"))
            case "jpeg":
                notes.add(.different, t.file, t.line, "\(at) \(type)", "RGB encoded as RGB: mmedit's encoder swaps R and B (add swap_rb: true to reproduce it)")
            case "video":
                notes.add(.different, t.file, t.line, "\(at) \(type)", "values clipped and rounded to 8 bits; mmedit wraps them around (uint8 of 255·x)")
            default: break
            }
            for e in t.entries where !["type", "params", "keys"].contains(e.key) {
                let status: RecipeImport.Status = (e.key == "color_type" && e.value.string == "color") ? .exact : .unsupported
                notes.add(status, t.file, e.line, "\(at) \(type).\(e.key)", status == .exact ? "colour images: degrade's only mode" : "not supported: left out")
            }
            return .op(name: op, fields: fields, comment: src)
        }
    }

    /// A literal as YAML flow text; a value that was not read is an error naming its line.
    static func yaml(_ v: PythonValue, file: String, key: String) throws -> String {
        switch v {
        case let .number(d, _): return RecipeDraft.number(d)
        case let .string(s): return RecipeDraft.name(s)
        case let .bool(b): return b ? "true" : "false"
        case .none: return "null"
        case let .list(items, _): return RecipeDraft.list(try items.map { try yaml($0, file: file, key: key) })
        case let .dict(d): return "{" + (try d.entries.map { "\(RecipeDraft.name($0.key)): \(try yaml($0.value, file: file, key: key))" }).joined(separator: ", ") + "}"
        case let .unsupported(line, reason): throw RecipeError(file: file, line: line, key: key, message: "not read: \(reason)")
        }
    }
}
