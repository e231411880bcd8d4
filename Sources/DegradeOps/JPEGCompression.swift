import CTurboJPEG
import DegradeMedia

/// JPEG round trip through libjpeg-turbo (TurboJPEG API), as MMEditing's `RandomJPEGCompression` does with
/// `cv2.imencode('.jpg')` / `cv2.imdecode` in the references.
///
/// `out = decode(encode(q8(x), q)) / 255`, where `q8(x) = clip(round_half_even(255·x), 0, 255)`.
/// Encoding uses baseline JPEG at quality `q` (libjpeg's `jpeg_set_quality` tables), 4:2:0 chroma subsampling and
/// the accurate integer DCT (libjpeg's default; TurboJPEG alone would pick the fast DCT, so the flag is explicit).
/// Decoding uses the accurate IDCT and fancy (triangle-filter) chroma upsampling, libjpeg's defaults.
///
/// `swapRB`: the reference hands RGB data to OpenCV, which assumes BGR, so its YCbCr transform weighs R with
/// B's coefficient and vice versa. `swapRB: true` reproduces that bug exactly: the RGB bytes are declared BGR
/// for encoding and decoded as BGR, so they come back in the order they went in, with chroma artefacts that
/// differ slightly from a correct RGB JPEG. Gray content (R = G = B) is unaffected. Default `false`: correct.
///
/// Single-channel images are encoded as grayscale JPEG (no chroma, `swapRB` has no effect).
/// Thread safety: every call creates and destroys its own TurboJPEG handles (a few µs; see the report), so calls
/// may run concurrently on any threads. Environment variables that TurboJPEG reads (`TJ_OPTIMIZE`,
/// `TJ_PROGRESSIVE`, `TJ_RESTART`, `TJ_ARITHMETIC`) change only the entropy coding, hence the byte count,
/// never the decoded pixels.
public enum JPEGCompression {
    static let opName = "JPEGCompression"
    /// Quality values libjpeg accepts.
    static let qualityRange = 1...100

    /// The JPEG round trip of `image` at `quality` (1…100).
    public static func apply(_ image: Image, quality: Int, swapRB: Bool = false) throws -> Image {
        try applyMeasured(image, quality: quality, swapRB: swapRB).image
    }

    /// The JPEG round trip plus the size of the compressed stream in bytes (headers and Huffman tables included),
    /// for bits-per-pixel audits: `bpp = 8·bytes / (width·height)`.
    public static func applyMeasured(_ image: Image, quality: Int, swapRB: Bool = false) throws
        -> (image: Image, bytes: Int)
    {
        guard qualityRange.contains(quality) else {
            throw OpError(opName, "quality must be in \(qualityRange.lowerBound)…\(qualityRange.upperBound), got \(quality)")
        }
        let format: TJPF
        let subsampling: TJSAMP
        switch image.channels {
        case 3:
            format = swapRB ? TJPF_BGR : TJPF_RGB
            subsampling = TJSAMP_420
        case 1:
            format = TJPF_GRAY
            subsampling = TJSAMP_GRAY
        default:
            throw OpError(opName, "expected a 1- or 3-channel image, got \(image.channels) channels")
        }
        guard image.width <= Int(Int32.max) / image.channels, image.height <= Int(Int32.max) else {
            throw OpError(opName, "image \(image.width)×\(image.height) is too large for TurboJPEG")
        }
        let width = Int32(image.width), height = Int32(image.height)
        let pitch = width * Int32(image.channels)
        let flags = TJFLAG_ACCURATEDCT

        let source = image.interleaved8()
        let (jpeg, jpegSize) = try encode(source, width: width, pitch: pitch, height: height,
                                          format: format, subsampling: subsampling, quality: Int32(quality),
                                          flags: flags)
        defer { tjFree(jpeg) }

        guard let decoder = tjInitDecompress() else {
            throw OpError(opName, "tjInitDecompress failed: \(String(cString: tjGetErrorStr2(nil)))")
        }
        defer { tjDestroy(decoder) }
        // Not zero-filled: a decode that succeeds or only warns has written every row; after an error the bytes
        // are thrown away.
        var status: Int32 = 0
        let decoded = [UInt8](unsafeUninitializedCapacity: source.count) { out, initialised in
            status = tjDecompress2(decoder, jpeg, jpegSize, out.baseAddress, width, pitch, height,
                                   Int32(format.rawValue), flags)
            initialised = source.count
        }
        // Without TJFLAG_STOPONWARNING a warning also returns -1 after a complete decode; only errors are fatal.
        if status != 0 && tjGetErrorCode(decoder) != Int32(TJERR_WARNING.rawValue) {
            throw OpError(opName, "tjDecompress2 failed: \(String(cString: tjGetErrorStr2(decoder)))")
        }
        let result = decoded.withUnsafeBufferPointer {
            Image(interleaved8: $0, width: image.width, height: image.height, channels: image.channels)
        }
        return (result, Int(jpegSize))
    }

    /// Compresses interleaved 8-bit samples; the returned buffer belongs to TurboJPEG (release with `tjFree`).
    private static func encode(_ source: [UInt8], width: Int32, pitch: Int32, height: Int32, format: TJPF,
                               subsampling: TJSAMP, quality: Int32, flags: Int32) throws
        -> (UnsafeMutablePointer<UInt8>, UInt)
    {
        guard let encoder = tjInitCompress() else {
            throw OpError(opName, "tjInitCompress failed: \(String(cString: tjGetErrorStr2(nil)))")
        }
        defer { tjDestroy(encoder) }
        var jpeg: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = source.withUnsafeBufferPointer { src in
            tjCompress2(encoder, src.baseAddress, width, pitch, height, Int32(format.rawValue),
                        &jpeg, &size, Int32(subsampling.rawValue), quality, flags)
        }
        guard status == 0, let jpeg else {
            tjFree(jpeg)
            throw OpError(opName, "tjCompress2 failed: \(String(cString: tjGetErrorStr2(encoder)))")
        }
        return (jpeg, size)
    }
}
