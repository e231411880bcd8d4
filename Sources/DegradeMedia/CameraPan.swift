/// A deterministic camera move over a still: a straight sub-pixel pan plus an optional steady zoom, all
/// derived from the clip key, so the same key always yields the same clip on any machine.
public struct CameraPan: Sendable, Equatable, Codable {
    /// Output frames (clip length).
    public var frames: Int
    public var width: Int
    public var height: Int
    /// Speed of the pan in output pixels per frame.
    public var speed: Double
    /// Direction of motion in radians (0 = rightwards, π/2 = downwards).
    public var direction: Double
    /// Ratio of the first to the last frame's field of view (1 = no zoom, 1.1 = zoom in by 10%).
    public var zoom: Double

    public init(frames: Int, width: Int, height: Int, speed: Double, direction: Double, zoom: Double) {
        self.frames = frames
        self.width = width
        self.height = height
        self.speed = speed
        self.direction = direction
        self.zoom = zoom
    }

    /// The move a key gets by default: speed 1–4 px/frame (a slow handheld pan at 720p), any direction,
    /// zoom 1–1.08. These give varied, realistic sub-pixel motion for VSR training and demos.
    public static func derived(key: String, frames: Int, width: Int, height: Int) -> CameraPan {
        CameraPan(frames: frames, width: width, height: height,
                  speed: 1 + 3 * StableHash.unit(key, 1),
                  direction: 2 * Double.pi * StableHash.unit(key, 2),
                  zoom: 1 + 0.08 * StableHash.unit(key, 3))
    }

    /// The source windows for every frame over a `sourceWidth`×`sourceHeight` photo. The first frame's window
    /// is the largest of the output's aspect ratio that leaves room for the whole move; the window centre
    /// travels along a line through the photo's centre and the window shrinks steadily by `zoom`.
    public func windows(sourceWidth: Int, sourceHeight: Int) -> [Resampler.Window] {
        let sw = Double(sourceWidth), sh = Double(sourceHeight)
        let ow = Double(width), oh = Double(height)
        let steps = Double(max(frames - 1, 1))
        let dx = cos(direction) * speed * steps, dy = sin(direction) * speed * steps   // travel in output px
        // Largest source-px-per-output-px scale s so that the window plus travel fits: ow·s + |dx|·s ≤ sw.
        let s = min(sw / (ow + abs(dx)), sh / (oh + abs(dy)))
        let cx = sw / 2, cy = sh / 2
        return (0..<frames).map { t in
            let f = frames > 1 ? Double(t) / steps : 0.5
            let scale = s / (1 + (zoom - 1) * f)
            let centreX = cx + (f - 0.5) * dx * s, centreY = cy + (f - 0.5) * dy * s
            return Resampler.Window(x: centreX - ow * scale / 2, y: centreY - oh * scale / 2,
                                    width: ow * scale, height: oh * scale)
        }
    }

    /// Renders the move over `photo`; with `region`, only that part of every frame (the same pixels, bit for bit).
    public func render(_ photo: Image, range: Range<Int>? = nil, region: PixelRegion? = nil) -> [Image] {
        let all = windows(sourceWidth: photo.width, sourceHeight: photo.height)
        let full = PixelRegion(x: 0, y: 0, width: width, height: height)
        return all[range ?? 0..<frames].map {
            Resampler.resample(photo, window: $0, width: width, height: height, region: region ?? full)
        }
    }
}

import Foundation
