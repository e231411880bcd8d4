import DegradeAudit
import DegradeEngine
import DegradeMedia
import Foundation

/// No-reference measures of one clip (means over its frames) or of a set (means over clips), for LQ or SR clips
/// without ground truth. NIQE is the headline number (RealBasicVSR reports it on VideoLQ); the two audit signals
/// say why a clip scores badly: Immerkær's noise σ (8-bit levels, per colour channel, averaged) reads residual
/// noise an SR model left or invented, and blockiness (block-boundary / in-block gradient ratio on Y, ≈ 1 without
/// an 8×8 grid) reads JPEG/codec blocking it did not remove.
public struct NoReferenceScores: Codable, Sendable, Equatable {
    public var niqe: Double?
    public var noiseSigma: Double?
    public var blockiness: Double?

    enum CodingKeys: String, CodingKey {
        case niqe
        case noiseSigma = "noise_sigma"
        case blockiness
    }

    /// Scores of one frame, after removing `cropBorder` pixels on each side.
    static func frame(_ image: Image, cropBorder: Int) -> NoReferenceScores {
        let cropped = Evaluation.crop(image, cropBorder)
        return NoReferenceScores(niqe: NIQE.score(cropped), noiseSigma: ImageMetrics.noiseSigma(cropped),
                                 blockiness: ImageMetrics.blockiness(.luma(cropped)))
    }

    /// Component-wise mean over the items that have each value.
    static func mean(_ items: [NoReferenceScores]) -> NoReferenceScores {
        NoReferenceScores(niqe: mean(items.map(\.niqe)), noiseSigma: mean(items.map(\.noiseSigma)),
                          blockiness: mean(items.map(\.blockiness)))
    }

    static func mean(_ values: [Double?]) -> Double? {
        let v = values.compactMap { $0 }
        return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
    }
}

/// Per-clip and average no-reference scores of the clips in a folder, or of a model's outputs for them.
public struct NoReferenceTable: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var clip: String
        public var frames: Int
        public var scores: NoReferenceScores
    }

    public var rows: [Row]
    /// Mean of the per-clip means (every clip weighs the same).
    public var average: NoReferenceScores
    /// What was scored: "input" (the clips as they are) or "model" (a checkpoint's outputs).
    public var scored: String
    public var cropBorder: Int

    enum CodingKeys: String, CodingKey {
        case rows, average, scored
        case cropBorder = "crop_border"
    }

    public func text() -> String {
        func cell(_ v: Double?, _ format: String) -> String { v.map { String(format: format, $0) } ?? "-" }
        var lines = [["clip", "frames", "NIQE", "noise σ", "blockiness"]]
        func line(_ name: String, _ frames: Int, _ s: NoReferenceScores) -> [String] {
            [name, "\(frames)", cell(s.niqe, "%.3f"), cell(s.noiseSigma, "%.2f"), cell(s.blockiness, "%.3f")]
        }
        for r in rows { lines.append(line(r.clip, r.frames, r.scores)) }
        lines.append(line("average", rows.reduce(0) { $0 + $1.frames }, average))
        return TextTable.render(lines)
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

extension Evaluation {
    /// No-reference scores of the clips under `root` (REDS-style folders, as `run`), or of `upscale`'s outputs
    /// for them when given (in overlapping windows with `chunk`, each window's kept frames scored then dropped).
    /// - Throws: `InputError` for a missing/empty folder or a crop that leaves nothing; `EvaluationError` when
    ///   `upscale` returns the wrong number of frames; image decoding errors.
    public static func runNoReference(root: String, cropBorder: Int = 0, chunk: Int? = nil, overlap: Int = 5,
                                      upscale: (([Image]) throws -> [Image])?) throws -> NoReferenceTable {
        guard cropBorder >= 0 else { throw InputError("crop border must be ≥ 0, got \(cropBorder)") }
        if let chunk, overlap < 0 || chunk <= 2 * overlap {
            throw InputError("chunk (\(chunk)) must exceed twice the overlap (\(overlap))")
        }
        var rows: [NoReferenceTable.Row] = []
        for clip in try clips(in: root, role: "input") {
            func scoreFrame(_ image: Image, _ name: String) throws -> NoReferenceScores {
                guard image.width > 2 * cropBorder, image.height > 2 * cropBorder else {
                    throw InputError("clip '\(clip.name)' frame \(name): crop border \(cropBorder) leaves nothing of " +
                                     "\(image.width)×\(image.height)")
                }
                return NoReferenceScores.frame(image, cropBorder: cropBorder)
            }
            var frames: [NoReferenceScores] = []
            if let upscale {
                let lq = try clip.frames.map { try ImageFile.read(clip.path + "/" + $0).image }
                let windows = chunk.map { Upscaling.windows(frameCount: lq.count, chunk: $0, overlap: overlap) }
                    ?? (lq.isEmpty ? [] : [(0..<lq.count, 0..<lq.count)])
                for (run, keep) in windows {
                    let out = try upscale(Array(lq[run]))
                    guard out.count == run.count else {
                        throw EvaluationError("clip '\(clip.name)': the model returned \(out.count) frames for \(run.count)")
                    }
                    for t in keep { frames.append(try scoreFrame(out[t - run.lowerBound], clip.frames[t])) }
                }
            } else {
                // One frame in memory at a time: inputs can be long full-resolution clips.
                for name in clip.frames {
                    frames.append(try scoreFrame(try ImageFile.read(clip.path + "/" + name).image, name))
                }
            }
            rows.append(.init(clip: clip.name, frames: clip.frames.count, scores: NoReferenceScores.mean(frames)))
        }
        return NoReferenceTable(rows: rows, average: NoReferenceScores.mean(rows.map(\.scores)),
                                scored: upscale == nil ? "input" : "model", cropBorder: cropBorder)
    }
}
