/// The frame file formats degrade reads and writes, told apart by their first bytes (never by name alone).
public enum ImageFormat: String, Sendable, Codable {
    case png, jpeg

    /// Sniffs the signature: PNG's 8-byte magic, or JPEG's SOI marker followed by another marker.
    static func detect(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if bytes.count >= 8, zip(bytes.prefix(8), png).allSatisfy({ $0 == $1 }) { return .png }
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        return nil
    }

    /// The format a file name promises, from its extension (case-insensitive).
    static func fromExtension(of path: String) -> ImageFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "png": return .png
        case "jpg", "jpeg": return .jpeg
        default: return nil
        }
    }

    static func isFrameFile(_ path: String) -> Bool { fromExtension(of: path) != nil }
}

/// Bounds checked against a file's header before any pixel memory is allocated, so a forged
/// 60000×60000 header costs nothing.
public struct ImageLimits: Sendable, Equatable {
    public var maxWidth: Int
    public var maxHeight: Int
    public var maxPixels: Int

    /// 16384 px a side and 64 Mpx (768 MB as Float32 RGB): ample for 8K video frames and DIV2K photos.
    public static let `default` = ImageLimits(maxWidth: 16384, maxHeight: 16384, maxPixels: 64 << 20)

    public init(maxWidth: Int, maxHeight: Int, maxPixels: Int) {
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxPixels = maxPixels
    }

    func check(width: Int, height: Int, path: String) throws {
        guard width > 0, height > 0 else {
            throw MediaError(path, "header declares an empty image (\(width)×\(height))")
        }
        guard width <= maxWidth, height <= maxHeight, width * height <= maxPixels else {
            throw MediaError(path, "header declares \(width)×\(height) pixels, more than the limit of \(maxWidth)×\(maxHeight) and \(maxPixels) pixels; refusing to allocate it")
        }
    }
}

/// What a decoder found besides the pixels, so callers can tell users what was converted.
public struct DecodedImage: Sendable {
    public var image: Image
    public var format: ImageFormat
    var bitDepth: Int
    /// The file was grayscale (or palette-gray) and was promoted to RGB.
    var wasGray: Bool
    /// The file had an alpha channel, which was dropped.
    var droppedAlpha: Bool
    /// The whole frame's size; `image` is only the region asked for when `isRegion`.
    var frameWidth = 0, frameHeight = 0
    var isRegion = false
}
