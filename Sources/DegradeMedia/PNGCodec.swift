import CSPNG
import Foundation

/// PNG through libspng, which reports errors by code (no setjmp), so every failure becomes a `MediaError`.
enum PNGCodec {
    /// libspng's version, for the record of native builds a set was made with.
    static var libraryVersion: String { String(cString: spng_version_string()) }

    static func header(_ data: UnsafeRawBufferPointer, path: String) throws -> (width: Int, height: Int) {
        let ctx = try decoder(data, path: path)
        defer { spng_ctx_free(ctx) }
        var ihdr = spng_ihdr()
        try check(spng_get_ihdr(ctx, &ihdr), path, "reading the PNG header")
        return (Int(ihdr.width), Int(ihdr.height))
    }

    /// With a `region` that fits, an 8-bit file's image is just that region, converted from the decoded bytes
    /// (the rest of the frame is never made into floats); otherwise the whole frame.
    /// With `keepingRowsIn`, the rows decoded for a region (all of them, whole width) are kept in that cache.
    static func decode(_ data: UnsafeRawBufferPointer, path: String, limits: ImageLimits, region: PixelRegion? = nil,
                       keepingRowsIn cache: (DecodedFrameCache, DecodedFrameCache.Identity)? = nil) throws -> DecodedImage {
        let ctx = try decoder(data, path: path)
        defer { spng_ctx_free(ctx) }
        var ihdr = spng_ihdr()
        try check(spng_get_ihdr(ctx, &ihdr), path, "reading the PNG header")
        let width = Int(ihdr.width), height = Int(ihdr.height)
        try limits.check(width: width, height: height, path: path)

        let colorType = Int(ihdr.color_type)
        let wasGray = colorType == Int(SPNG_COLOR_TYPE_GRAYSCALE.rawValue) || colorType == Int(SPNG_COLOR_TYPE_GRAYSCALE_ALPHA.rawValue)
        let hasAlpha = colorType == Int(SPNG_COLOR_TYPE_GRAYSCALE_ALPHA.rawValue) || colorType == Int(SPNG_COLOR_TYPE_TRUECOLOR_ALPHA.rawValue)
        let plane = width * height
        var pixels: [Float]

        if ihdr.bit_depth == 16 {
            // 16-bit files decode to RGBA16 (host byte order); alpha is dropped.
            let fmt = Int32(SPNG_FMT_RGBA16.rawValue)
            var size = 0
            try check(spng_decoded_image_size(ctx, fmt, &size), path, "sizing the 16-bit image")
            var raw = [UInt16](repeating: 0, count: size / 2)
            pixels = [Float](repeating: 0, count: plane * 3)
            try raw.withUnsafeMutableBytes { buf in
                try check(spng_decode_image(ctx, buf.baseAddress, size, fmt, 0), path, "decoding the 16-bit image")
            }
            raw.withUnsafeBufferPointer { src in
                pixels.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<plane {
                        for c in 0..<3 { dst[c &* plane &+ i] = Float(src[i &* 4 &+ c]) / 65535 }
                    }
                }
            }
        } else if let region = region ?? cache.map({ _ in PixelRegion(x: 0, y: 0, width: width, height: height) }),
                  region.fits(width: width, height: height), ihdr.interlace_method == 0 {
            // Rows arrive top to bottom: keep only the region's, and stop after its last one (inflating and
            // unfiltering the rows below it would be wasted).
            if let (cache, identity) = cache {
                // Down to the rows a later reader announced too (never past the frame's end).
                let count = min(height, max(region.y + region.height, cache.expectedRows(of: identity.path) ?? 0))
                let rows = try decodeRows(ctx, width: width, count: count, path: path)
                let frame = DecodedFrameCache.Frame(rows: count, bytes: rows, width: width, height: height,
                                                    bitDepth: Int(ihdr.bit_depth), wasGray: wasGray, droppedAlpha: hasAlpha)
                cache.keep(frame, for: identity)
                return frame.decoded(region: region)
            }
            let image = try decodeRows(ctx, width: width, region: region, path: path)
            return DecodedImage(image: image, format: .png, bitDepth: Int(ihdr.bit_depth), wasGray: wasGray, droppedAlpha: hasAlpha,
                                frameWidth: width, frameHeight: height, isRegion: true)
        } else {
            let fmt = Int32(SPNG_FMT_RGB8.rawValue)
            var size = 0
            try check(spng_decoded_image_size(ctx, fmt, &size), path, "sizing the image")
            var raw = [UInt8](repeating: 0, count: size)
            try raw.withUnsafeMutableBytes { buf in
                try check(spng_decode_image(ctx, buf.baseAddress, size, fmt, 0), path, "decoding the image")
            }
            if let region, region.fits(width: width, height: height) {
                let image = raw.withUnsafeBufferPointer { Image(interleaved8: $0, width: width, height: height, region: region) }
                return DecodedImage(image: image, format: .png, bitDepth: Int(ihdr.bit_depth), wasGray: wasGray, droppedAlpha: hasAlpha,
                                    frameWidth: width, frameHeight: height, isRegion: true)
            }
            pixels = raw.withUnsafeBufferPointer { Image(interleaved8: $0, width: width, height: height) }.pixels
        }
        return DecodedImage(image: Image(width: width, height: height, pixels: pixels), format: .png,
                            bitDepth: Int(ihdr.bit_depth), wasGray: wasGray, droppedAlpha: hasAlpha,
                            frameWidth: width, frameHeight: height)
    }

    /// `region` of a non-interlaced 8-bit file, decoded progressively up to the region's last row.
    private static func decodeRows(_ ctx: OpaquePointer, width: Int, region: PixelRegion, path: String) throws -> Image {
        let fmt = Int32(SPNG_FMT_RGB8.rawValue)
        try check(spng_decode_image(ctx, nil, 0, fmt, Int32(SPNG_DECODE_PROGRESSIVE.rawValue)), path, "decoding the image")
        let rowBytes = width * 3
        var above = [UInt8](repeating: 0, count: rowBytes)
        var kept = [UInt8](repeating: 0, count: rowBytes * region.height)
        for y in 0..<(region.y + region.height) {
            let rc = y < region.y
                ? above.withUnsafeMutableBytes { spng_decode_row(ctx, $0.baseAddress, rowBytes) }
                : kept.withUnsafeMutableBytes { spng_decode_row(ctx, $0.baseAddress! + (y - region.y) * rowBytes, rowBytes) }
            // SPNG_EOI comes with the image's last row.
            if rc != 0 && rc != Int32(SPNG_EOI.rawValue) { try check(rc, path, "decoding the image") }
        }
        return kept.withUnsafeBufferPointer {
            Image(interleaved8: $0, width: width, height: region.height, region: PixelRegion(x: region.x, y: 0, width: region.width, height: region.height))
        }
    }

    /// Rows `0..<count` of a non-interlaced 8-bit file as interleaved RGB, decoded progressively (nothing below them).
    private static func decodeRows(_ ctx: OpaquePointer, width: Int, count: Int, path: String) throws -> [UInt8] {
        let fmt = Int32(SPNG_FMT_RGB8.rawValue)
        try check(spng_decode_image(ctx, nil, 0, fmt, Int32(SPNG_DECODE_PROGRESSIVE.rawValue)), path, "decoding the image")
        let rowBytes = width * 3
        var rows = [UInt8](repeating: 0, count: rowBytes * count)
        try rows.withUnsafeMutableBytes { buf in
            for y in 0..<count {
                let rc = spng_decode_row(ctx, buf.baseAddress! + y * rowBytes, rowBytes)
                // SPNG_EOI comes with the image's last row.
                if rc != 0 && rc != Int32(SPNG_EOI.rawValue) { try check(rc, path, "decoding the image") }
            }
        }
        return rows
    }

    /// Encodes 8-bit RGB (3 channels) or gray (1 channel) to PNG bytes.
    static func encode(interleaved: [UInt8], width: Int, height: Int, channels: Int, path: String,
                       compression: PNGCompression = .fast) throws -> [UInt8] {
        guard let ctx = spng_ctx_new(Int32(SPNG_CTX_ENCODER.rawValue)) else {
            throw MediaError(path, "could not create a PNG encoder (out of memory)")
        }
        defer { spng_ctx_free(ctx) }
        spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1)
        spng_set_option(ctx, SPNG_IMG_COMPRESSION_LEVEL, compression.zlibLevel)
        spng_set_option(ctx, SPNG_IMG_MEM_LEVEL, compression.memoryLevel)
        spng_set_option(ctx, SPNG_IMG_COMPRESSION_STRATEGY, compression.zlibStrategy)
        spng_set_option(ctx, SPNG_FILTER_CHOICE, compression.filterChoice)
        var ihdr = spng_ihdr()
        ihdr.width = UInt32(width)
        ihdr.height = UInt32(height)
        ihdr.bit_depth = 8
        ihdr.color_type = UInt8(channels == 1 ? SPNG_COLOR_TYPE_GRAYSCALE.rawValue : SPNG_COLOR_TYPE_TRUECOLOR.rawValue)
        try check(spng_set_ihdr(ctx, &ihdr), path, "setting the PNG header")
        try interleaved.withUnsafeBytes { buf in
            try check(spng_encode_image(ctx, buf.baseAddress, buf.count, Int32(SPNG_FMT_PNG.rawValue),
                                        Int32(SPNG_ENCODE_FINALIZE.rawValue)), path, "encoding the PNG")
        }
        var length = 0
        var err: Int32 = 0
        guard let out = spng_get_png_buffer(ctx, &length, &err) else {
            throw MediaError(path, "PNG encoder produced no data: \(message(err))")
        }
        defer { free(out) }
        return Array(UnsafeRawBufferPointer(start: out, count: length).bindMemory(to: UInt8.self))
    }

    private static func decoder(_ data: UnsafeRawBufferPointer, path: String) throws -> OpaquePointer {
        guard let ctx = spng_ctx_new(0) else { throw MediaError(path, "could not create a PNG decoder (out of memory)") }
        // Cap chunk sizes so a forged length field cannot make the decoder allocate gigabytes.
        spng_set_chunk_limits(ctx, 1 << 26, 1 << 26)
        // A checksum error in any chunk is a damaged file, not something to skip quietly (libspng's default drops
        // ancillary chunks with bad CRCs).
        spng_set_crc_action(ctx, Int32(SPNG_CRC_ERROR.rawValue), Int32(SPNG_CRC_ERROR.rawValue))
        // Dimensions are checked by `ImageLimits` after the header is read, with a message that names them.
        spng_set_image_limits(ctx, UInt32(Int32.max), UInt32(Int32.max))
        let rc = spng_set_png_buffer(ctx, data.baseAddress, data.count)
        if rc != 0 {
            spng_ctx_free(ctx)
            throw MediaError(path, "not a readable PNG: \(message(rc))")
        }
        return ctx
    }

    private static func check(_ rc: Int32, _ path: String, _ doing: String) throws {
        guard rc == 0 else {
            let detail = rc == Int32(SPNG_IO_EOF.rawValue) ? "the file is truncated" : message(rc)
            throw MediaError(path, "corrupt PNG while \(doing): \(detail)")
        }
    }

    private static func message(_ rc: Int32) -> String {
        String(cString: spng_strerror(rc))
    }
}
