import CTurboJPEG
import Foundation

/// JPEG frame files through libjpeg-turbo's TurboJPEG API, which returns error codes instead of longjmp-ing.
/// Warnings (e.g. "Premature end of JPEG file" on a truncated file) are treated as errors: a frame that
/// decoded half grey is silent garbage for training.
enum JPEGFileCodec {
    static func header(_ data: UnsafeRawBufferPointer, path: String) throws -> (width: Int, height: Int, gray: Bool) {
        guard let handle = tjInitDecompress() else { throw MediaError(path, "could not create a JPEG decoder") }
        defer { tjDestroy(handle) }
        var w: Int32 = 0, h: Int32 = 0, subsamp: Int32 = 0, colorspace: Int32 = 0
        let rc = tjDecompressHeader3(handle, data.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), &w, &h, &subsamp, &colorspace)
        guard rc == 0 else { throw MediaError(path, "corrupt JPEG header: \(message(handle))") }
        return (Int(w), Int(h), colorspace == Int32(TJCS_GRAY.rawValue))
    }

    static func decode(_ data: UnsafeRawBufferPointer, path: String, limits: ImageLimits) throws -> DecodedImage {
        let (width, height, gray) = try header(data, path: path)
        try limits.check(width: width, height: height, path: path)
        guard let handle = tjInitDecompress() else { throw MediaError(path, "could not create a JPEG decoder") }
        defer { tjDestroy(handle) }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        let rc = rgb.withUnsafeMutableBufferPointer { out in
            tjDecompress2(handle, data.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), out.baseAddress,
                          Int32(width), 0, Int32(height), Int32(TJPF_RGB.rawValue), 0)
        }
        guard rc == 0 else {
            throw MediaError(path, "corrupt or truncated JPEG: \(message(handle))")
        }
        let image = rgb.withUnsafeBufferPointer { Image(interleaved8: $0, width: width, height: height) }
        return DecodedImage(image: image, format: .jpeg, bitDepth: 8, wasGray: gray, droppedAlpha: false,
                            frameWidth: image.width, frameHeight: image.height)
    }

    /// Baseline JPEG, 4:2:0, accurate DCT (libjpeg's defaults), from interleaved RGB8.
    static func encode(rgb: [UInt8], width: Int, height: Int, quality: Int, path: String) throws -> [UInt8] {
        guard let handle = tjInitCompress() else { throw MediaError(path, "could not create a JPEG encoder") }
        defer { tjDestroy(handle) }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let rc = rgb.withUnsafeBufferPointer { src in
            tjCompress2(handle, src.baseAddress, Int32(width), 0, Int32(height), Int32(TJPF_RGB.rawValue),
                        &out, &size, Int32(TJSAMP_420.rawValue), Int32(quality), 0)
        }
        defer { if let out { tjFree(out) } }
        guard rc == 0, let out else { throw MediaError(path, "JPEG encoding failed: \(message(handle))") }
        return Array(UnsafeBufferPointer(start: out, count: Int(size)))
    }

    private static func message(_ handle: tjhandle) -> String {
        String(cString: tjGetErrorStr2(handle))
    }
}
