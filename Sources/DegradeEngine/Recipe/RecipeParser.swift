import DegradeOps
import Foundation
import Yams

/// Reads recipe YAML into a `Recipe`, validating every key and value. The first problem found is reported
/// with file, line, key path and the allowed values.
public enum RecipeParser {
    static let opNames = ["blur", "motion_blur", "resize", "noise", "jpeg", "video", "quantize", "clip", "shuffle"]

    public static func load(_ path: String, overrides: [ConfigOverride] = []) throws -> Recipe {
        try parse(try RecipeText.read(path), file: path, overrides: overrides)
    }

    /// With `overrides` (`--set`), `source` — the text the recipe's identity hash is taken from, and which plans'
    /// catalogs record — is the effective YAML, so a run is reproducible from its outputs alone.
    public static func parse(_ text: String, file: String = "<recipe>", overrides: [ConfigOverride] = []) throws -> Recipe {
        try ConfigOverride.applying(overrides, to: text, file: file) { top, source in
            try parse(top, source: source, file: file)
        }
    }

    static func parse(_ top: ConfigNode, source text: String, file: String) throws -> Recipe {
        var recipe = Recipe(name: try top.string("name"))
        recipe.description = try top.string("description", default: "")
        recipe.scale = try top.int("scale", default: 4, in: 1...16)
        recipe.clip = try parseClip(top)
        guard let pipeline = top.value("pipeline") else { throw top.error("pipeline", "missing: a recipe needs a pipeline list") }
        recipe.pipeline = try parseItems(pipeline, path: "pipeline", file: file)
        let ops = opCount(recipe.pipeline)
        guard ops <= RecipeLimits.maxOps else {
            throw RecipeError(file: file, line: pipeline.mark?.line, key: "pipeline",
                              message: "\(ops) ops exceed the limit of \(RecipeLimits.maxOps) ops per recipe (shuffle entries included)")
        }
        if let crop = recipe.clip.pairedCrop, crop % recipe.scale != 0 {
            throw top.error("paired_crop", "\(crop) is not divisible by scale \(recipe.scale): the LQ crop is paired_crop / scale pixels")
        }
        _ = top.value("reference")  // free text: where the recipe comes from
        try top.finish(allowedKeys: ["name", "description", "reference", "scale", "frames", "frame_interval", "crop", "flip",
                                     "mirror", "unsharp", "lq_from", "paired_crop", "pipeline"])
        recipe.source = text
        recipe.file = file
        return recipe
    }

    /// Ops in a pipeline, every shuffle entry counted.
    static func opCount(_ items: [RecipeItem]) -> Int {
        items.reduce(0) { n, item in
            switch item {
            case .op: n + 1
            case let .shuffle(_, groups, _): n + groups.reduce(0) { $0 + opCount($1) }
            }
        }
    }

    static func parseClip(_ top: ConfigNode) throws -> ClipSpec {
        var c = ClipSpec()
        c.frames = try top.optionalInt("frames", in: 1...10_000)
        c.frameInterval = try top.int("frame_interval", default: 1, in: 1...100)
        if let crop = try top.child("crop") {
            c.cropSize = try crop.int("size", in: 1...RecipeLimits.maxCropSide)
            c.padIfSmaller = try crop.bool("pad_if_smaller", default: false)
            try crop.finish()
        }
        if let flip = try top.child("flip") {
            c.hflipProb = try flip.probability("horizontal", default: 0)
            c.vflipProb = try flip.probability("vertical", default: 0)
            c.transposeProb = try flip.probability("transpose", default: 0)
            try flip.finish()
        }
        c.mirror = try top.bool("mirror", default: false)
        if let usm = try top.child("unsharp") {
            var u = UnsharpSpec()
            u.kernelSize = try usm.int("kernel_size", default: 51, in: 1...201)
            guard u.kernelSize % 2 == 1 else { throw usm.error("kernel_size", "must be odd, got \(u.kernelSize)") }
            u.sigma = try usm.double("sigma", default: 0, in: 0...100)
            u.weight = try usm.double("weight", default: 0.5, in: 0...10)
            u.threshold = try usm.double("threshold", default: 10, in: 0...255)
            try usm.finish()
            c.unsharp = u
        }
        let lqFrom = try top.string("lq_from", default: c.unsharp == nil ? "gt" : "gt_unsharp", allowed: ["gt", "gt_unsharp"])
        if lqFrom == "gt_unsharp" && c.unsharp == nil {
            throw top.error("lq_from", "gt_unsharp needs an `unsharp` section")
        }
        c.lqFromUnsharp = lqFrom == "gt_unsharp"
        c.pairedCrop = try top.optionalInt("paired_crop", in: 1...RecipeLimits.maxCropSide)
        return c
    }

    static func parseItems(_ node: Node, path: String, file: String) throws -> [RecipeItem] {
        guard case let .sequence(seq) = node else {
            throw RecipeError(file: file, line: node.mark?.line, key: path, message: "expected a list of ops, got \(ConfigNode.kind(node))")
        }
        return try seq.enumerated().map { i, item in try parseItem(item, path: "\(path)[\(i)]", file: file) }
    }

    static func parseItem(_ node: Node, path: String, file: String) throws -> RecipeItem {
        // `- quantize` (a bare op name without parameters)
        if case let .scalar(s) = node {
            switch s.string {
            case "quantize": return .op(at: path, .quantize)
            case "clip": return .op(at: path, .clip)
            default:
                throw RecipeError(file: file, line: node.mark?.line, key: path, message: "unknown op `\(s.string)`", allowed: opNames.joined(separator: ", "))
            }
        }
        guard case let .mapping(m) = node, m.count == 1, let (k, v) = m.first, let name = k.string else {
            throw RecipeError(file: file, line: node.mark?.line, key: path, message: "each pipeline entry is one op: `- blur: {...}`", allowed: opNames.joined(separator: ", "))
        }
        let at = "\(path).\(name)"
        if name == "shuffle" { return try parseShuffle(v, at: at, file: file) }
        if name == "quantize" || name == "clip" {
            if case let .mapping(params) = v, params.count > 0 {
                throw RecipeError(file: file, line: v.mark?.line, key: at, message: "takes no parameters")
            }
            return .op(at: at, name == "quantize" ? .quantize : .clip)
        }
        let params: ConfigNode
        if case let .scalar(s) = v, s.string.isEmpty || s.tag.description.hasSuffix("null") {
            params = try ConfigNode(Node.mapping(.init([])), path: at, file: file)
        } else {
            params = try ConfigNode(v, path: at, file: file)
        }
        let op: RecipeOp
        switch name {
        case "blur": op = .blur(try OpSpecParser.blur(params))
        case "motion_blur": op = .motionBlur(try OpSpecParser.motionBlur(params))
        case "resize": op = .resize(try OpSpecParser.resize(params))
        case "noise": op = .noise(try OpSpecParser.noise(params))
        case "jpeg": op = .jpeg(try OpSpecParser.jpeg(params))
        case "video": op = .video(try OpSpecParser.video(params))
        default:
            throw RecipeError(file: file, line: k.mark?.line, key: path, message: "unknown op `\(name)`", allowed: opNames.joined(separator: ", "))
        }
        try params.finish()
        return .op(at: at, op)
    }

    static func parseShuffle(_ node: Node, at: String, file: String) throws -> RecipeItem {
        var itemsNode = node
        var keepBefore: [[Int]] = []
        if case .mapping = node {
            let m = try ConfigNode(node, path: at, file: file)
            guard let items = m.value("items") else { throw m.error("items", "missing: the entries to shuffle") }
            itemsNode = items
            if let pairs = m.value("keep_before") {
                guard case let .sequence(seq) = pairs else { throw m.error("keep_before", "expected a list of [i, j] pairs") }
                keepBefore = try seq.map { pair in
                    guard case let .sequence(p) = pair, p.count == 2,
                          let i = ConfigNode.number(p[0]).flatMap(ConfigNode.exactInt),
                          let j = ConfigNode.number(p[1]).flatMap(ConfigNode.exactInt) else {
                        throw RecipeError(file: file, line: pair.mark?.line, key: "\(at).keep_before",
                                          message: "expected [i, j] pairs of entry indices, got \(ConfigNode.kind(pair))")
                    }
                    return [i, j]
                }
            }
            try m.finish()
        }
        guard case let .sequence(seq) = itemsNode else {
            throw RecipeError(file: file, line: itemsNode.mark?.line, key: at, message: "expected a list of entries to shuffle")
        }
        var groups: [[RecipeItem]] = []
        for (i, entry) in seq.enumerated() {
            let p = "\(at)[\(i)]"
            if case .sequence = entry {
                groups.append(try parseItems(entry, path: p, file: file))  // nested list keeps its order
            } else {
                groups.append([try parseItem(entry, path: p, file: file)])
            }
        }
        guard groups.count >= 1 else { throw RecipeError(file: file, line: node.mark?.line, key: at, message: "nothing to shuffle") }
        for pair in keepBefore where !(pair.allSatisfy { (0..<groups.count).contains($0) } && pair[0] != pair[1]) {
            throw RecipeError(file: file, line: node.mark?.line, key: "\(at).keep_before", message: "entry indices must be distinct and within 0…\(groups.count - 1)")
        }
        if let cycle = KeepBeforeOrder.cycle(keepBefore, count: groups.count) {
            throw RecipeError(file: file, line: node.mark?.line, key: "\(at).keep_before",
                              message: "the pairs contradict each other: \(cycle.map(String.init).joined(separator: " before ")) — no order satisfies them all")
        }
        return .shuffle(at: at, groups: groups, keepBefore: keepBefore)
    }

    static func yamlLine(_ e: YamlError) -> Int? {
        switch e {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): return mark.line
        case let .duplicatedKeysInMapping(_, context): return context.mark.line
        default: return nil
        }
    }

    static func yamlMessage(_ e: YamlError) -> String {
        switch e {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _), let .composer(context, problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        case let .duplicatedKeysInMapping(duplicates, _):
            return "duplicate key \(duplicates.joined(separator: ", "))"
        default: return "\(e)"
        }
    }
}
