import DegradeEngine
import DegradeMedia
import Foundation

/// Renders one preview sample and writes its images: the GT | LQ pairs sheet (and frame 0's pair alone), one PNG per stage of frame 0
/// (scaled to a common height) and the stages sheet.
enum PreviewSample {
    /// Frames shown on a pairs sheet: first, middle and last.
    static let pairRows = 3
    /// Cell height of the pairs sheet, at most (GT frames smaller than this are shown at their own size).
    static let pairCellHeight = 320
    /// Stage images per row of the stages sheet.
    static let stagesPerRow = 6

    /// Executes sample `k`'s plan and writes its images into `root/folder`. `folder` is a relative path made
    /// of slugs; every path returned is relative to `root`.
    static func render(_ plan: DegradationPlan, recipeIndex: Int, sample k: Int, variant: Int, maker: SampleMaker,
                       root: String, folder: String) throws -> PreviewRecord {
        let started = ContinuousClock.now
        let result = try maker.make(plan)
        try FileManager.default.createDirectory(atPath: "\(root)/\(folder)/stages", withIntermediateDirectories: true)

        // GT | LQ pairs, the LQ enlarged by nearest neighbour to the GT's size.
        let picks = PreviewScaling.spread(pairRows, over: min(result.gt.count, result.lq.count))
        var rows: [[Image]] = []
        for t in picks {
            let gt = result.gt[t]
            rows.append([gt, try PreviewScaling.toSize(result.lq[t], width: gt.width, height: gt.height)])
        }
        let gt0 = result.gt[0]
        let pairs = ContactSheet.make(rows: rows, cellHeight: min(gt0.height, pairCellHeight))
        let pairsPath = "\(folder)/pairs.png"
        try ImageFile.writePNG(pairs, to: "\(root)/\(pairsPath)")
        // Frame 0 alone, for the side-by-side grid where every recipe's cell should have the same shape.
        let comparePath = "\(folder)/frame0.png"
        try ImageFile.writePNG(ContactSheet.make(rows: [rows[0]], cellHeight: min(gt0.height, pairCellHeight)), to: "\(root)/\(comparePath)")

        // Stages of frame 0.
        var cards = StageStrip.cards(for: result)
        let frames = StageStrip.frames(for: result)
        let height = StageStrip.displayHeight(for: frames)
        var shown: [Image] = []
        for (i, frame) in frames.enumerated() where i < cards.count {
            let image = try PreviewScaling.toHeight(frame, height)
            let name = i == 0 ? "input" : PreviewSlug.make(cards[i].op)
            let path = "\(folder)/stages/\(String(format: "%02d", i))-\(name).png"
            try ImageFile.writePNG(image, to: "\(root)/\(path)")
            cards[i].path = path
            shown.append(image)
        }
        let sheetRows = stride(from: 0, to: shown.count, by: stagesPerRow).map { Array(shown[$0..<min($0 + stagesPerRow, shown.count)]) }
        let stagesSheetPath = "\(folder)/stages.png"
        try ImageFile.writePNG(ContactSheet.make(rows: sheetRows, cellHeight: min(height, 192)), to: "\(root)/\(stagesSheetPath)")

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let planJSON = String(decoding: try encoder.encode(plan), as: UTF8.self)
        let lq0 = result.lq[0]
        let d = ContinuousClock.now - started
        return PreviewRecord(
            recipeIndex: recipeIndex, sample: k, key: plan.key, clip: plan.clip, variant: variant, plan: plan, planJSON: planJSON,
            pairsPath: pairsPath, pairFrames: picks, comparePath: comparePath, stagesSheetPath: stagesSheetPath, stages: cards,
            gtSize: FrameDims(width: gt0.width, height: gt0.height), lqSize: FrameDims(width: lq0.width, height: lq0.height),
            seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
}
