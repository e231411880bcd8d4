import DegradeAudit
import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation

/// A model misbehaving during evaluation or upscaling (wrong frame count or size).
struct EvaluationError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// PSNR / SSIM (and NIQE of the output) of one method on one clip (means over frames) or over a set (means over clips).
public struct Scores: Codable, Sendable, Equatable {
    /// dB on BasicSR's Y channel; identical frames count as `ImageMetrics.psnrCap`.
    public var psnr: Double
    /// nil when the cropped frames are smaller than SSIM's 11×11 window.
    public var ssim: Double?
    /// NIQE of the output (no reference); nil when no cropped frame holds two 96×96 blocks.
    public var niqe: Double?

    public init(psnr: Double, ssim: Double?, niqe: Double? = nil) {
        self.psnr = psnr
        self.ssim = ssim
        self.niqe = niqe
    }

    /// Component-wise mean (SSIM only when every item has one; NIQE over the items that have one).
    static func mean(_ items: [Scores]) -> Scores {
        let psnr = items.map(\.psnr).reduce(0, +) / Double(max(1, items.count))
        let ssims = items.compactMap(\.ssim)
        let ssim = ssims.count == items.count && !items.isEmpty ? ssims.reduce(0, +) / Double(ssims.count) : nil
        return Scores(psnr: psnr, ssim: ssim, niqe: NoReferenceScores.mean(items.map(\.niqe)))
    }
}

/// Per-clip and average scores of a model and of the bicubic baseline.
public struct EvaluationTable: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var clip: String
        public var frames: Int
        /// nil in a baseline-only evaluation.
        public var model: Scores?
        public var bicubic: Scores
    }

    public var rows: [Row]
    /// Mean of the per-clip means (REDS4 convention: every clip weighs the same).
    var averageModel: Scores?
    var averageBicubic: Scores
    public var scale: Int
    public var cropBorder: Int

    /// Aligned text: one line per clip, then the average.
    public func text() -> String {
        func psnr(_ s: Scores?) -> String { s.map { String(format: "%.3f", $0.psnr) } ?? "-" }
        func ssim(_ s: Scores?) -> String { s?.ssim.map { String(format: "%.4f", $0) } ?? "-" }
        func niqe(_ s: Scores?) -> String { s?.niqe.map { String(format: "%.3f", $0) } ?? "-" }
        let hasModel = averageModel != nil
        var header = ["clip", "frames"]
        if hasModel { header += ["PSNR", "SSIM", "NIQE"] }
        header += ["bicubic PSNR", "bicubic SSIM", "bicubic NIQE"]
        var lines: [[String]] = [header]
        func line(_ name: String, _ frames: Int, _ m: Scores?, _ b: Scores) -> [String] {
            var cells = [name, "\(frames)"]
            if hasModel { cells += [psnr(m), ssim(m), niqe(m)] }
            return cells + [psnr(b), ssim(b), niqe(b)]
        }
        for r in rows { lines.append(line(r.clip, r.frames, r.model, r.bicubic)) }
        lines.append(line("average", rows.reduce(0) { $0 + $1.frames }, averageModel, averageBicubic))
        return TextTable.render(lines)
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

/// Evaluation over REDS-style folders: `ROOT/<clip>/<frame>.png`, LQ and GT clips and frames matched by name.
public enum Evaluation {
    /// Scores `upscale` (when given) and bicubic ×scale against the GT, clip by clip.
    ///
    /// Without `chunk`, each clip's LQ frames are passed to `upscale` together (a recurrent model sees the whole
    /// clip). With `chunk`, the clip runs in overlapping windows (`Upscaling.windows`) and each window's kept frames
    /// are scored and dropped before the next runs, so only one window of outputs and one GT frame are in memory
    /// at a time. Frames are compared after removing `cropBorder` pixels on every side (BasicSR's `crop_border`),
    /// on the Y channel of their 8-bit versions (`ImageMetrics.psnrY/ssimY`); a clip's score is the mean over its
    /// frames. The scale is GT size / LQ size, which must be a whole number and the same for every frame.
    /// A root holding frames directly (no clip folders) is one clip named after the folder.
    /// - Throws: `InputError` naming a missing folder, clip or frame, or inconsistent sizes; `EvaluationError` when
    ///   `upscale` returns the wrong number or size of frames; image decoding errors.
    public static func run(lqRoot: String, gtRoot: String, cropBorder: Int = 0, chunk: Int? = nil, overlap: Int = 5,
                           upscale: (([Image]) throws -> [Image])?) throws -> EvaluationTable {
        guard cropBorder >= 0 else { throw InputError("crop border must be ≥ 0, got \(cropBorder)") }
        if let chunk, overlap < 0 || chunk <= 2 * overlap {
            throw InputError("chunk (\(chunk)) must exceed twice the overlap (\(overlap))")
        }
        let lqClips = try clips(in: lqRoot, role: "LQ")
        let gtClips = try clips(in: gtRoot, role: "GT")
        let gtByName = Dictionary(gtClips.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [EvaluationTable.Row] = []
        var scale: Int?
        for lqClip in lqClips {
            guard let gtClip = gtByName[lqClip.name] ?? (lqClips.count == 1 && gtClips.count == 1 ? gtClips[0] : nil) else {
                throw InputError("clip '\(lqClip.name)' is in \(lqRoot) but not in \(gtRoot) (GT has: " +
                                 "\(gtClips.map(\.name).joined(separator: ", ")))")
            }
            let gtNames = Set(gtClip.frames)
            if let missing = lqClip.frames.first(where: { !gtNames.contains($0) }) {
                throw InputError("clip '\(lqClip.name)': frame \(missing) has no GT frame in \(gtClip.path)")
            }
            let lq = try lqClip.frames.map { try ImageFile.read(lqClip.path + "/" + $0).image }
            // Sizes are checked up front from the GT headers, before any model time is spent.
            for (i, l) in lq.enumerated() {
                let g = try ImageFile.dimensions(gtClip.path + "/" + lqClip.frames[i])
                guard l.width > 0, l.height > 0, g.width % l.width == 0, g.height % l.height == 0,
                      g.width / l.width == g.height / l.height else {
                    throw InputError("clip '\(lqClip.name)' frame \(lqClip.frames[i]): GT \(g.width)×\(g.height) is not " +
                                     "a whole multiple of LQ \(l.width)×\(l.height)")
                }
                let s = g.width / l.width
                if let scale, scale != s {
                    throw InputError("clip '\(lqClip.name)' frame \(lqClip.frames[i]): scale ×\(s) differs from ×\(scale) of earlier frames")
                }
                scale = s
            }
            rows.append(try row(clip: lqClip.name, lq: lq, scale: scale ?? 1, cropBorder: cropBorder, chunk: chunk,
                                overlap: overlap, upscale: upscale) { t in
                try ImageFile.read(gtClip.path + "/" + lqClip.frames[t]).image
            })
        }
        return EvaluationTable(rows: rows,
                               averageModel: upscale == nil ? nil : Scores.mean(rows.compactMap(\.model)),
                               averageBicubic: Scores.mean(rows.map(\.bicubic)), scale: scale ?? 1, cropBorder: cropBorder)
    }

    /// Scores `upscale` (when given) and bicubic on every clip of a rendered set (`degrade render`'s output, read
    /// through its catalog, so `--repeat` variants and image layouts work alike), one row per sample key.
    /// - Throws: `InputError` when the set is missing, a clip has no GT (a recipe that leaves the GT unchanged) or
    ///   its GT is not a whole multiple of its LQ; `EvaluationError` as `run(lqRoot:…)`.
    public static func run(set root: String, cropBorder: Int = 0, chunk: Int? = nil, overlap: Int = 5,
                           upscale: (([Image]) throws -> [Image])?) throws -> EvaluationTable {
        guard cropBorder >= 0 else { throw InputError("crop border must be ≥ 0, got \(cropBorder)") }
        if let chunk, overlap < 0 || chunk <= 2 * overlap {
            throw InputError("chunk (\(chunk)) must exceed twice the overlap (\(overlap))")
        }
        let set = try RenderedSet(root: root)
        guard !set.keys.isEmpty else { throw InputError("rendered set \(root) holds no clips") }
        var rows: [EvaluationTable.Row] = []
        var scale: Int?
        for key in set.keys {
            let sample = try set.load(key)
            guard !sample.gt.isEmpty else {
                throw InputError("\(root): clip \(key) has no GT frames (render without --no-gt, or a recipe that writes gt/)")
            }
            guard sample.gt.count == sample.lq.count, let l = sample.lq.first, let g = sample.gt.first, l.width > 0,
                  l.height > 0, g.width % l.width == 0, g.height % l.height == 0, g.width / l.width == g.height / l.height
            else {
                throw InputError("\(root): clip \(key) has \(sample.lq.count) LQ and \(sample.gt.count) GT frames whose sizes " +
                                 "are not a whole-number scale apart")
            }
            let s = g.width / l.width
            if let scale, scale != s { throw InputError("\(root): clip \(key) is ×\(s), earlier clips ×\(scale)") }
            scale = s
            rows.append(try row(clip: key, lq: sample.lq, scale: s, cropBorder: cropBorder, chunk: chunk, overlap: overlap,
                                upscale: upscale) { sample.gt[$0] })
        }
        return EvaluationTable(rows: rows,
                               averageModel: upscale == nil ? nil : Scores.mean(rows.compactMap(\.model)),
                               averageBicubic: Scores.mean(rows.map(\.bicubic)), scale: scale ?? 1, cropBorder: cropBorder)
    }

    /// One clip's row: the model (in `chunk`-frame windows, when given) and bicubic against `gtFrame(t)`.
    static func row(clip: String, lq: [Image], scale: Int, cropBorder: Int, chunk: Int?, overlap: Int,
                    upscale: (([Image]) throws -> [Image])?, gtFrame: (Int) throws -> Image) throws -> EvaluationTable.Row {
        let bicubic = BicubicResolver(scale: scale)
        let windows = chunk.map { Upscaling.windows(frameCount: lq.count, chunk: $0, overlap: overlap) }
            ?? (lq.isEmpty ? [] : [(0..<lq.count, 0..<lq.count)])
        var modelScores: [Scores] = [], bicubicScores: [Scores] = []
        for (run, keep) in windows {
            let out = try upscale.map { f in
                let out = try f(Array(lq[run]))
                guard out.count == run.count else {
                    throw EvaluationError("clip '\(clip)': the model returned \(out.count) frames for \(run.count)")
                }
                return out
            }
            for t in keep {
                let gt = try gtFrame(t)
                if let out {
                    modelScores.append(try score([out[t - run.lowerBound]], [gt], cropBorder: cropBorder, clip: clip))
                }
                bicubicScores.append(try score(try bicubic.upscale([lq[t]]), [gt], cropBorder: cropBorder, clip: clip))
            }
        }
        return .init(clip: clip, frames: lq.count, model: upscale == nil ? nil : Scores.mean(modelScores),
                     bicubic: Scores.mean(bicubicScores))
    }

    /// Mean PSNR / SSIM (Y) of `outputs` against `targets` after cropping `cropBorder` pixels on each side.
    public static func score(_ outputs: [Image], _ targets: [Image], cropBorder: Int, clip: String = "") throws -> Scores {
        var frames: [Scores] = []
        for (i, (o, t)) in zip(outputs, targets).enumerated() {
            guard o.width == t.width, o.height == t.height else {
                throw EvaluationError("clip '\(clip)' frame \(i): output is \(o.width)×\(o.height), GT is \(t.width)×\(t.height)")
            }
            guard o.width > 2 * cropBorder, o.height > 2 * cropBorder else {
                throw InputError("clip '\(clip)': crop border \(cropBorder) leaves nothing of \(o.width)×\(o.height) frames")
            }
            let (a, b) = (crop(o, cropBorder), crop(t, cropBorder))
            frames.append(Scores(psnr: min(ImageMetrics.psnrY(a, b), ImageMetrics.psnrCap), ssim: ImageMetrics.ssimY(a, b),
                                 niqe: NIQE.score(a)))
        }
        return Scores.mean(frames)
    }

    /// `image` without `border` pixels on each side.
    static func crop(_ image: Image, _ border: Int) -> Image {
        if border == 0 { return image }
        let w = image.width - 2 * border, h = image.height - 2 * border
        var out = Image(width: w, height: h, channels: image.channels)
        for c in 0..<image.channels {
            for y in 0..<h {
                let src = c * image.planeSize + (y + border) * image.width + border
                let dst = c * w * h + y * w
                out.pixels[dst..<(dst + w)] = image.pixels[src..<(src + w)]
            }
        }
        return out
    }

    /// A clip: its name, folder and sorted frame file names.
    public struct Clip: Sendable, Equatable {
        public var name: String
        public var path: String
        public var frames: [String]
    }

    static let frameExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Clip folders of `root` in name order, or `root` itself when it holds frames directly.
    /// - Throws: `InputError` when `root` is missing or holds no frames.
    public static func clips(in root: String, role: String = "input") throws -> [Clip] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw InputError("\(role) folder \(root) does not exist")
        }
        func frames(_ dir: String) -> [String] {
            ((try? fm.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { frameExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        }
        let entries = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
        var result: [Clip] = []
        for name in entries where !name.hasPrefix(".") {
            let path = root + "/" + name
            guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { continue }
            let f = frames(path)
            if !f.isEmpty { result.append(Clip(name: name, path: path, frames: f)) }
        }
        if result.isEmpty {
            let direct = frames(root)
            guard !direct.isEmpty else {
                throw InputError("\(role) folder \(root) holds no clip folders with frames (expected \(root)/<clip>/<frame>.png)")
            }
            result.append(Clip(name: (root as NSString).lastPathComponent, path: root, frames: direct))
        }
        return result
    }
}
