/// Turns each still of a folder into a video clip with a deterministic camera pan (`CameraPan`), keyed
/// `<photo>@pan`. One photo yields realistic sub-pixel motion at any size, so demos, tests and benchmarks
/// need no large frame folders.
public struct PanSource: ClipSource {
    public let stills: StillsSource
    public let frameCount: Int
    public let width: Int
    public let height: Int

    public static let keySuffix = "@pan"

    public init(stills: StillsSource, frames: Int = 30, width: Int = 1280, height: Int = 720) throws {
        guard frames >= 1 else { throw MediaError(stills.folder, "a pan needs at least 1 frame, got \(frames)") }
        guard width >= 8, height >= 8, width <= 8192, height <= 8192 else {
            throw MediaError(stills.folder, "pan frame size must be within 8…8192 px a side, got \(width)×\(height)")
        }
        self.stills = stills
        self.frameCount = frames
        self.width = width
        self.height = height
    }

    public var summary: String { "\(frameCount)-frame \(width)×\(height) pans over \(stills.summary)" }

    public func clips() throws -> [ClipInfo] {
        try stills.clips().map { still in
            let key = still.key + PanSource.keySuffix
            let pan = move(for: key)
            let how = String(format: "pan %.2f px/frame at %.0f°, zoom ×%.3f over %@", pan.speed, pan.direction * 180 / .pi, pan.zoom, still.origin)
            return ClipInfo(key: key, frameCount: frameCount, width: width, height: height, origin: how)
        }
    }

    public func move(for key: String) -> CameraPan {
        CameraPan.derived(key: key, frames: frameCount, width: width, height: height)
    }

    public func frames(of key: String, range: Range<Int>?) throws -> [Image] {
        try frames(of: key, range: range, region: nil)
    }

    /// Renders only `region` of each frame: a cropping recipe pays for (and holds) just the crop.
    public func frames(of key: String, range: Range<Int>?, region: PixelRegion?) throws -> [Image] {
        guard key.hasSuffix(PanSource.keySuffix) else {
            throw MediaError(key, "pan clip keys end in \(PanSource.keySuffix), e.g. aitzgorri\(PanSource.keySuffix)")
        }
        let r = try checkRange(range, count: frameCount, key: key)
        if let region, !region.fits(width: width, height: height) {
            throw MediaError(key, "region \(region) is outside the clip's \(width)×\(height) frames")
        }
        let photo = try stills.photo(String(key.dropLast(PanSource.keySuffix.count))).image
        return move(for: key).render(photo, range: r, region: region)
    }
}

import Foundation
