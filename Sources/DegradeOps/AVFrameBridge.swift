import CAVUtil
import CSwScale
import DegradeMedia
import Foundation

/// Moves frames between `Image` (planar Float RGB) and FFmpeg's yuv420p `AVFrame`s.
///
/// Colour conversion is swscale's, with PyAV's reformatter settings: `SWS_BILINEAR` and swscale's default
/// colour details (BT.601 matrix, limited-range YUV). The same context also rescales when a frame's size
/// differs from the stream's, which is what PyAV does silently in the reference.
///
/// One bridge serves one clip on one thread; it owns its swscale contexts.
final class AVFrameBridge {
    /// The clip's size (frame 0's).
    let width: Int
    let height: Int
    /// The size handed to the encoder: even and at least the encoder's minimum, filled by edge replication.
    let codedWidth: Int
    let codedHeight: Int

    private var toYUV: OpaquePointer?
    private var toRGB: OpaquePointer?

    init(width: Int, height: Int, minimum: (width: Int, height: Int)) {
        self.width = width
        self.height = height
        codedWidth = Self.even(max(width, minimum.width))
        codedHeight = Self.even(max(height, minimum.height))
    }

    deinit {
        sws_freeContext(toYUV)
        sws_freeContext(toRGB)
    }

    /// A new yuv420p frame of the coded size holding `image`: `q8(x) = clip(round_half_even(255·x))` per sample
    /// (the reference's `uint8(255·x)` wraps out-of-range values around; that is a bug and not reproduced),
    /// converted — and rescaled bilinearly to the clip size if needed — then edge-replicated to the coded size.
    /// The caller owns the frame (`av_frame_free`).
    func encoderFrame(from image: Image) throws(CodecFailure) -> UnsafeMutablePointer<AVFrame> {
        // swscale computes 4:2:0 chroma from RGB pixel pairs and, for an odd width, reads one pixel past the
        // row (seen as run-to-run differences in the last chroma column). The buffer is therefore allocated
        // even-sized and the extra column/row hold copies of the last ones, which is edge replication again.
        let rgb = try Self.allocateFrame(width: Self.even(image.width), height: Self.even(image.height),
                                         format: AV_PIX_FMT_RGB24)
        defer { var f: UnsafeMutablePointer<AVFrame>? = rgb; av_frame_free(&f) }
        Self.fillRGB24(rgb, from: image)
        Self.replicateEdges(rgb, plane: 0, filled: (3 * image.width, image.height),
                            full: (3 * Self.even(image.width), Self.even(image.height)), bytesPerPixel: 3)

        let yuv = try Self.allocateFrame(width: codedWidth, height: codedHeight, format: AV_PIX_FMT_YUV420P)
        var ok = false
        defer { if !ok { var f: UnsafeMutablePointer<AVFrame>? = yuv; av_frame_free(&f) } }
        toYUV = sws_getCachedContext(toYUV, Int32(image.width), Int32(image.height), AV_PIX_FMT_RGB24,
                                     Int32(width), Int32(height), AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
        guard let toYUV else {
            throw CodecFailure(
                "no swscale context for rgb24 \(image.width)×\(image.height) → yuv420p \(width)×\(height)")
        }
        try Self.scale(toYUV, from: rgb, sourceHeight: image.height, to: yuv)
        // swscale wrote ceil(w/2)×ceil(h/2) chroma: enough for an odd clip's even coded size, short only when
        // the encoder's minimum size padded further.
        Self.replicateEdges(yuv, plane: 0, filled: (width, height), full: (codedWidth, codedHeight))
        for plane in 1...2 {
            Self.replicateEdges(yuv, plane: plane, filled: ((width + 1) / 2, (height + 1) / 2),
                                full: (codedWidth / 2, codedHeight / 2))
        }
        ok = true
        return yuv
    }

    /// The clip-sized top-left part of a decoded frame as RGB: swscale to rgb24, then `/255`.
    func image(from decoded: UnsafeMutablePointer<AVFrame>) throws(CodecFailure) -> Image {
        try packed(from: decoded).image
    }

    /// The clip-sized top-left part of a decoded frame as packed RGB24 (swscale).
    func packed(from decoded: UnsafeMutablePointer<AVFrame>) throws(CodecFailure) -> Frame8 {
        let format = AVPixelFormat(rawValue: decoded.pointee.format)
        guard Int(decoded.pointee.width) == codedWidth, Int(decoded.pointee.height) == codedHeight else {
            throw CodecFailure("decoder returned \(decoded.pointee.width)×\(decoded.pointee.height), "
                + "expected \(codedWidth)×\(codedHeight)")
        }
        // Cropping is just a smaller source size over the same planes: the padding sits right and below.
        toRGB = sws_getCachedContext(toRGB, Int32(width), Int32(height), format,
                                     Int32(width), Int32(height), AV_PIX_FMT_RGB24, SWS_BILINEAR, nil, nil, nil)
        guard let toRGB else {
            throw CodecFailure("no swscale context for pixel format \(format.rawValue) → rgb24")
        }
        // Even-sized like the source side, so a converter that writes rows or pixels in pairs stays inside.
        let rgb = try Self.allocateFrame(width: Self.even(width), height: Self.even(height), format: AV_PIX_FMT_RGB24)
        defer { var f: UnsafeMutablePointer<AVFrame>? = rgb; av_frame_free(&f) }
        try Self.scale(toRGB, from: decoded, sourceHeight: height, to: rgb)

        let rowBytes = width * 3
        let (data, stride) = Self.plane(rgb, 0)
        let packed = [UInt8](unsafeUninitializedCapacity: rowBytes * height) { out, initialised in
            for y in 0..<height {
                memcpy(out.baseAddress! + y * rowBytes, data + y * stride, rowBytes)
            }
            initialised = rowBytes * height
        }
        return Frame8(width: width, height: height, channels: 3, bytes: packed)
    }

    // MARK: - AVFrame plumbing

    static func even(_ n: Int) -> Int { n + (n & 1) }

    static func allocateFrame(width: Int, height: Int, format: AVPixelFormat) throws(CodecFailure)
        -> UnsafeMutablePointer<AVFrame>
    {
        switch AVFramePlanes.allocate(width: width, height: height, format: format) {
        case .success(let frame): return frame
        case .failure(let failure): throw CodecFailure(failure.reason)
        }
    }

    static func plane(_ frame: UnsafeMutablePointer<AVFrame>, _ i: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
        AVFramePlanes.plane(frame, i)
    }

    private static func fillRGB24(_ frame: UnsafeMutablePointer<AVFrame>, from image: Image) {
        let (data, stride) = plane(frame, 0)
        let w = image.width, planeSize = image.planeSize
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<image.height {
                Image.interleave3(px.baseAddress! + y &* w, plane: planeSize, into: data + y &* stride, count: w)
            }
        }
    }

    private static func scale(_ context: OpaquePointer, from source: UnsafeMutablePointer<AVFrame>, sourceHeight: Int,
                              to destination: UnsafeMutablePointer<AVFrame>) throws(CodecFailure) {
        let status = AVFramePlanes.scale(context, from: source, sourceHeight: sourceHeight, to: destination)
        if status < 0 { throw CodecFailure("sws_scale failed: \(FFmpegSupport.message(status))") }
    }

    /// Copies the last filled pixel of each row rightwards and the last filled row downwards. Widths are in
    /// bytes; `bytesPerPixel` says how many bytes one replicated pixel spans.
    private static func replicateEdges(_ frame: UnsafeMutablePointer<AVFrame>, plane index: Int,
                                       filled: (Int, Int), full: (Int, Int), bytesPerPixel: Int = 1) {
        let (data, stride) = plane(frame, index)
        let (fw, fh) = filled, (w, h) = full
        if fw < w {
            for y in 0..<fh {
                let row = data + y * stride
                for x in Swift.stride(from: fw, to: w, by: bytesPerPixel) {
                    memcpy(row + x, row + fw - bytesPerPixel, bytesPerPixel)
                }
            }
        }
        if fh < h {
            let last = data + (fh - 1) * stride
            for y in fh..<h { memcpy(data + y * stride, last, w) }
        }
    }
}
