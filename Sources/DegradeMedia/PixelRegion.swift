/// A rectangle of pixels, `x`/`y` its top-left corner (0-based, inside the frame).
public struct PixelRegion: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)×\(height)+\(x)+\(y)" }

    /// Whether the region lies inside a `width`×`height` frame (and is not empty).
    public func fits(width frameWidth: Int, height frameHeight: Int) -> Bool {
        x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= frameWidth && y + height <= frameHeight
    }
}

extension Image {
    /// The pixels of `region`, every channel. - Precondition: the region fits the image.
    public func cropped(to region: PixelRegion) -> Image {
        precondition(region.fits(width: width, height: height), "region \(region) is outside the \(width)×\(height) image")
        if region.x == 0 && region.y == 0 && region.width == width && region.height == height { return self }
        let plane = planeSize, outPlane = region.width * region.height
        let out = [Float](unsafeUninitializedCapacity: outPlane * channels) { dst, initialised in
            pixels.withUnsafeBufferPointer { src in
                for c in 0..<channels {
                    for r in 0..<region.height {
                        let offset: Int = c &* plane &+ (region.y &+ r) &* width &+ region.x
                        let target: Int = c &* outPlane &+ r &* region.width
                        (dst.baseAddress! + target).initialize(from: src.baseAddress! + offset, count: region.width)
                    }
                }
            }
            initialised = outPlane * channels
        }
        return Image(width: region.width, height: region.height, channels: channels, pixels: out)
    }

    /// `region` of an interleaved 8-bit RGB frame, the same values as `Image(interleaved8:…).cropped(to: region)`
    /// without converting the rest of the frame. - Precondition: the region fits the frame.
    init(interleaved8 bytes: UnsafeBufferPointer<UInt8>, width: Int, height: Int, region: PixelRegion) {
        precondition(bytes.count == width * height * 3 && region.fits(width: width, height: height))
        let plane = region.width * region.height
        let px = [Float](unsafeUninitializedCapacity: plane * 3) { out, initialised in
            let r = out.baseAddress!, g = r + plane, b = g + plane
            for row in 0..<region.height {
                let src = bytes.baseAddress! + ((region.y &+ row) &* width &+ region.x) &* 3
                let o = row &* region.width
                for i in 0..<region.width {
                    let s = src + 3 &* i
                    r[o &+ i] = Float(s[0]) / 255
                    g[o &+ i] = Float(s[1]) / 255
                    b[o &+ i] = Float(s[2]) / 255
                }
            }
            initialised = plane * 3
        }
        self.init(width: region.width, height: region.height, pixels: px)
    }
}
