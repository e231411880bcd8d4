import Foundation

/// Reading and writing single frame files (PNG or JPEG), with every failure reported against the file's path.
public enum ImageFile {
    public static func read(_ path: String, limits: ImageLimits = .default) throws -> DecodedImage {
        let data = try load(path)
        return try data.withUnsafeBytes { try decode($0, path: path, limits: limits) }
    }

    /// The file with, when it can be had cheaply, only `region` converted to floats (`isRegion` says which).
    /// With a `cache`, a PNG frame whose rows down to the region's last one were decoded before (and the file is
    /// unchanged since) is not read again, and what is decoded now is kept for the next reader.
    static func read(_ path: String, limits: ImageLimits, region: PixelRegion?, cache: DecodedFrameCache? = nil) throws -> DecodedImage {
        let file = try FrameFile(path)
        if let cache, let held = cache.frame(file.identity, rows: region.map { $0.y + $0.height }) {
            let whole = PixelRegion(x: 0, y: 0, width: held.width, height: held.height)
            if region?.fits(width: held.width, height: held.height) ?? true { return held.decoded(region: region ?? whole) }
        }
        let data = try file.bytes()
        return try data.withUnsafeBytes { raw in
            switch try format(of: raw, path: path) {
            case .png:
                return try PNGCodec.decode(raw, path: path, limits: limits, region: region,
                                           keepingRowsIn: cache.map { ($0, file.identity) })
            case .jpeg: return try JPEGFileCodec.decode(raw, path: path, limits: limits)
            }
        }
    }

    /// Just the size, from the header; cheap enough to validate thousands of frames.
    public static func dimensions(_ path: String) throws -> (width: Int, height: Int) {
        let data = try load(path)
        return try data.withUnsafeBytes { raw in
            switch try format(of: raw, path: path) {
            case .png: return try PNGCodec.header(raw, path: path)
            case .jpeg:
                let h = try JPEGFileCodec.header(raw, path: path)
                return (h.width, h.height)
            }
        }
    }

    public static func decode(_ raw: UnsafeRawBufferPointer, path: String, limits: ImageLimits = .default) throws -> DecodedImage {
        switch try format(of: raw, path: path) {
        case .png: return try PNGCodec.decode(raw, path: path, limits: limits)
        case .jpeg: return try JPEGFileCodec.decode(raw, path: path, limits: limits)
        }
    }

    /// The PNG library's version (libspng), for records of the native builds outputs depend on.
    public static var pngLibraryVersion: String { PNGCodec.libraryVersion }

    /// Writes an 8-bit PNG atomically (clip + round-half-even to 8 bits). Gray (1-channel) images stay gray.
    public static func writePNG(_ image: Image, to path: String) throws {
        try AtomicFile.write(encodePNG(image, path: path), to: path)
    }

    public static func encodePNG(_ image: Image, path: String = "<memory>", compression: PNGCompression = .fast) throws -> [UInt8] {
        guard image.channels == 3 || image.channels == 1 else {
            throw MediaError(path, "PNG output needs 1 or 3 channels, got \(image.channels)")
        }
        return try PNGCodec.encode(interleaved: image.interleaved8(), width: image.width, height: image.height,
                                   channels: image.channels, path: path, compression: compression)
    }

    /// Writes a baseline 4:2:0 JPEG atomically.
    static func writeJPEG(_ image: Image, to path: String, quality: Int = 95) throws {
        guard image.channels == 3 else { throw MediaError(path, "JPEG output needs 3 channels, got \(image.channels)") }
        guard (1...100).contains(quality) else { throw MediaError(path, "JPEG quality must be in 1…100, got \(quality)") }
        let bytes = try JPEGFileCodec.encode(rgb: image.interleaved8(), width: image.width, height: image.height,
                                             quality: quality, path: path)
        try AtomicFile.write(bytes, to: path)
    }

    private static func load(_ path: String) throws -> [UInt8] {
        try FrameFile(path).bytes()
    }

    private static func format(of raw: UnsafeRawBufferPointer, path: String) throws -> ImageFormat {
        let named = ImageFormat.fromExtension(of: path)
        guard let actual = ImageFormat.detect(raw) else {
            let expected = named.map { "a \($0.rawValue.uppercased()) file" } ?? "a PNG or JPEG file"
            throw MediaError(path, "not \(expected): the first bytes match no supported image format")
        }
        if let named, named != actual {
            throw MediaError(path, "contents are \(actual.rawValue.uppercased()) but the name says .\(named.rawValue); rename the file to match its contents")
        }
        return actual
    }
}
