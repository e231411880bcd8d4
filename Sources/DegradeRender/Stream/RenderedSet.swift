import DegradeEngine
import DegradeMedia
import Foundation

/// A rendered set on disk (`render`'s output), read back through its catalog.
public struct RenderedSet: Sendable {
    public let root: String
    public let keys: [String]
    /// The set holds `gt_unsharp/` frames (`render --gt-unsharp`); without them `load` recomputes the sharpened GT.
    public let hasGTUnsharp: Bool
    let rows: [String: RenderCatalog.ClipRow]

    public init(root: String) throws {
        let index = "\(root)/\(RenderCatalog.fileName)"
        guard FileManager.default.fileExists(atPath: index) else {
            throw InputError("\(root) has no \(RenderCatalog.fileName); render a set there first (degrade render)")
        }
        let catalog = try RenderCatalog(path: index, readOnly: true)
        let all = try catalog.clipRows()
        self.root = root
        self.keys = all.map(\.key)
        self.hasGTUnsharp = all.contains { $0.frames.contains { $0.kind == "gt_unsharp" } }
        self.rows = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })
    }

    public struct Loaded: Sendable {
        public var gt: [Image]
        public var gtUnsharp: [Image]?
        public var lq: [Image]
        public var plan: DegradationPlan?
    }

    /// The clip's frames; when the render did not write a GT (the recipe left it unchanged), `gt` is empty.
    public func load(_ key: String) throws -> Loaded {
        guard let row = rows[key] else { throw InputError("\(root): no clip `\(key)` in the catalog") }
        func frames(_ kind: String) throws -> [Image] {
            try row.frames.filter { $0.kind == kind }.sorted { $0.index < $1.index }.map { try ImageFile.read("\(root)/\($0.path)").image }
        }
        let unsharp = try frames("gt_unsharp")
        let plan = try? JSONDecoder().decode(DegradationPlan.self, from: Data(row.plan.utf8))
        let gt = try frames("gt")
        // A set without gt_unsharp/ (the default): the sharpened GT is recomputed from gt/, exactly as rendering made it,
        // and rounded to 8 bits as its PNG files would hold it.
        let sharpened = unsharp.isEmpty
            ? plan.flatMap { gt.isEmpty ? nil : GroundTruthSharpening.apply(gt, plan: $0)?.map(Self.eightBit) } : unsharp
        return Loaded(gt: gt, gtUnsharp: sharpened, lq: try frames("lq"), plan: plan)
    }

    /// The image a PNG of `image` decodes to.
    static func eightBit(_ image: Image) -> Image {
        image.interleaved8().withUnsafeBufferPointer { Image(interleaved8: $0, width: image.width, height: image.height, channels: image.channels) }
    }
}
