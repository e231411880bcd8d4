/// A frame of exact 8-bit samples, interleaved (RGBRGB…): a quarter of an `Image`'s memory for frames that only
/// hold multiples of 1/255 anyway (decoded video), converted to an `Image` when an op needs it.
public struct Frame8: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// `width · height · channels` samples, row-major, channels interleaved.
    public let bytes: [UInt8]

    public init(width: Int, height: Int, channels: Int = 3, bytes: [UInt8]) {
        precondition(width > 0 && height > 0 && channels > 0, "frame dimensions must be positive")
        precondition(bytes.count == width * height * channels, "byte count does not match \(height)×\(width)×\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.bytes = bytes
    }

    /// The planar Float image, `byte / 255` (exact: the same values `Image(interleaved8:)` gives).
    public var image: Image {
        bytes.withUnsafeBufferPointer { Image(interleaved8: $0, width: width, height: height, channels: channels) }
    }
}
