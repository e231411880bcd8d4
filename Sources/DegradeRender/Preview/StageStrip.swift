import DegradeEngine
import DegradeMedia
import Foundation

/// One parameter of a stage, as shown beside its image: a short name and a formatted value.
public struct StageParameter: Codable, Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Frame 0 of a sample after one step of its pipeline (or the input it started from), with the parameters
/// that step used on that frame.
public struct StageCard: Codable, Sendable, Equatable {
    /// 0 for the input, then 1, 2, … for each applied step in the order it ran.
    public var index: Int
    /// The step's location in the recipe (`pipeline[3].noise`), `input`, or `paired_crop`.
    public var at: String
    public var op: String
    /// The frame's own size; the stored image is scaled to the strip's common height.
    public var width: Int
    public var height: Int
    public var parameters: [StageParameter]
    /// The stage image, relative to the preview folder (set when written).
    public var path: String = ""
}

/// Turns the stages an `Executor` recorded (`snapshotFrame: 0`) into cards and display images: every stage is
/// brought to one common height (nearest-neighbour when enlarged) so a 64 px LQ stands beside its 256 px GT
/// with its pixels visible, and each card lists the step's parameters for frame 0 as the plan describes them
/// (`PlanStep.parameters(frame:)`), plus the compressed size a JPEG or video step produced.
enum StageStrip {
    /// Display height of stage images: the input's height, capped so large frames stay light.
    static let maxDisplayHeight = 320

    public static func cards(for clip: DegradedClip) -> [StageCard] {
        let plan = clip.plan
        let applied = plan.steps.filter(\.applied)
        var cards: [StageCard] = []
        for (i, stage) in clip.stages.enumerated() {
            var card = StageCard(index: i, at: stage.at, op: stage.op, width: stage.frame.width, height: stage.frame.height, parameters: [])
            if i == 0 {
                card.parameters = inputParameters(plan)
            } else if i - 1 < applied.count {
                card.parameters = stepParameters(applied[i - 1], bytes: clip.compressedBytes[stage.at])
            }
            cards.append(card)
        }
        if let pc = plan.pairedCrop, let lq = clip.lq.first {
            let lqSize = pc.gtSize / pc.scale
            cards.append(StageCard(index: cards.count, at: "paired_crop", op: "paired_crop", width: lq.width, height: lq.height, parameters: [
                StageParameter("LQ crop", "\(lqSize)×\(lqSize) at (\(pc.lqX), \(pc.lqY))"),
                StageParameter("GT crop", "\(pc.gtSize)×\(pc.gtSize) at (\(pc.lqX * pc.scale), \(pc.lqY * pc.scale))"),
            ]))
        }
        return cards
    }

    /// The stage frames in card order (the final paired-crop LQ last, when the recipe has one).
    public static func frames(for clip: DegradedClip) -> [Image] {
        var frames = clip.stages.map(\.frame)
        if clip.plan.pairedCrop != nil, let lq = clip.lq.first { frames.append(lq) }
        return frames
    }

    /// The common display height for a clip's stages.
    static func displayHeight(for frames: [Image]) -> Int {
        min(frames.first?.height ?? maxDisplayHeight, maxDisplayHeight)
    }

    static func inputParameters(_ plan: DegradationPlan) -> [StageParameter] {
        var out: [StageParameter] = []
        out.append(.init("image", plan.lqFromUnsharp ? "GT, sharpened (USM)" : "GT"))
        let first = plan.sourceFrames.first ?? 0, last = plan.sourceFrames.last ?? 0
        if plan.sourceFrames.count == 1 {
            out.append(.init("source", "\(plan.clip) frame \(first)"))
        } else {
            out.append(.init("source", "\(plan.clip) frames \(first)…\(last)\(plan.mirror ? ", mirrored" : "") → \(plan.frameCount)"))
        }
        if let c = plan.crop {
            out.append(.init("crop", "\(c.size)×\(c.size) at (\(c.x), \(c.y))\(c.padded ? ", padded" : "")"))
        }
        let flips = [plan.hflip ? "horizontal" : nil, plan.vflip ? "vertical" : nil, plan.transpose ? "transpose" : nil].compactMap { $0 }
        if !flips.isEmpty { out.append(.init("flips", flips.joined(separator: ", "))) }
        if let u = plan.unsharp {
            let sigma = u.sigma == 0 ? "auto" : StepParameter.short(u.sigma)
            out.append(.init("USM", "k \(u.kernelSize), σ \(sigma), weight \(StepParameter.short(u.weight)), threshold \(StepParameter.short(u.threshold))"))
        }
        return out
    }

    static func stepParameters(_ step: PlanStep, bytes: Int?) -> [StageParameter] {
        var out = step.parameters(frame: 0).map { StageParameter($0.label, $0.formatted) }
        if let bytes { out.append(.init("bytes", "\(bytes) (\(step.kind == .video ? "clip" : "all frames"))")) }
        return out
    }
}
