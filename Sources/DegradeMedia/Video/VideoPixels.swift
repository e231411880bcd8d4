import CAVUtil
import CSwScale
import Foundation

/// Decoded video frames to `Image`s (planar Float RGB in [0, 1]) with the stream's colour details.
///
/// swscale converts YUV to 16-bit RGB with the frame's matrix (BT.601, BT.709, BT.2020, …; unspecified means
/// BT.709 from 720 lines up and BT.601 below, as players guess) and range (limited or full; `yuvj*` formats are
/// full), bicubic chroma upsampling and accurate rounding. Each 16-bit value is then rounded to the nearest 8-bit
/// level, `round(255·v/65535)` — no dithering — so 8- and 10-bit sources give the same 256 levels a PNG frame
/// holds, and identical frames give identical bytes. Quarter-turn rotation from the display matrix is applied.
final class VideoPixels {
    let path: String
    let rotation: Int
    private var context: OpaquePointer?
    private var configured: (width: Int32, height: Int32, format: Int32, space: UInt32, range: UInt32)?
    private var rgb: UnsafeMutablePointer<AVFrame>?

    init(path: String, rotation: Int) {
        self.path = path
        self.rotation = rotation
    }

    deinit {
        sws_freeContext(context)
        av_frame_free(&rgb)
    }

    /// The displayed size of a `width`×`height` coded frame (a quarter turn swaps the sides).
    static func displayed(width: Int, height: Int, rotation: Int) -> (width: Int, height: Int) {
        rotation % 180 == 0 ? (width, height) : (height, width)
    }

    /// `region` (in displayed coordinates; the whole frame when nil) of a decoded frame.
    func image(_ frame: UnsafePointer<AVFrame>, region: PixelRegion?, frameNumber: Int) throws(MediaError) -> Image {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        try prepare(frame)
        guard let context, let rgb else { throw MediaError(path, "no colour converter for frame \(frameNumber)") }
        let status = AVFramePlanes.scale(context, from: frame, sourceHeight: h, to: rgb)
        guard status >= 0 else {
            throw MediaError(path, "colour conversion of frame \(frameNumber) failed (\(FFmpegSupport.message(status)))")
        }
        let shown = Self.displayed(width: w, height: h, rotation: rotation)
        let r = region ?? PixelRegion(x: 0, y: 0, width: shown.width, height: shown.height)
        guard r.fits(width: shown.width, height: shown.height) else {
            throw MediaError(path, "region \(r) is outside the \(shown.width)×\(shown.height) frames")
        }
        let (data, stride) = AVFramePlanes.plane(rgb, 0)
        var out = Image(width: r.width, height: r.height)
        let plane = r.width * r.height
        let rotation = self.rotation
        data.withMemoryRebound(to: UInt16.self, capacity: stride / 2 * h) { base in
            let rowSamples = stride / 2
            out.pixels.withUnsafeMutableBufferPointer { px in
                for oy in 0..<r.height {
                    for ox in 0..<r.width {
                        let x = r.x + ox, y = r.y + oy
                        // The source pixel shown at (x, y) after turning the frame clockwise.
                        let (sx, sy): (Int, Int)
                        switch rotation {
                        case 90: (sx, sy) = (y, h - 1 - x)
                        case 180: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case 270: (sx, sy) = (w - 1 - y, x)
                        default: (sx, sy) = (x, y)
                        }
                        let s = base + sy * rowSamples + sx * 3
                        let o = oy * r.width + ox
                        for c in 0..<3 {
                            px[c * plane + o] = Self.level[Int(UInt16(littleEndian: s[c]))]
                        }
                    }
                }
            }
        }
        return out
    }

    /// 16-bit sample → its nearest 8-bit level, as a Float in [0, 1].
    private static let level: [Float] = (0...65535).map { Float(($0 * 255 + 32767) / 65535) / 255 }

    private func prepare(_ frame: UnsafePointer<AVFrame>) throws(MediaError) {
        let f = frame.pointee
        let space = Self.matrix(f.colorspace, height: Int(f.height))
        let format = AVPixelFormat(rawValue: f.format)
        let full = Self.isFullRange(frame)
        let key = (f.width, f.height, f.format, UInt32(space), UInt32(full ? 1 : 0))
        if let c = configured, c == key { return }
        sws_freeContext(context)
        av_frame_free(&rgb)
        context = sws_getContext(f.width, f.height, format, f.width, f.height, AV_PIX_FMT_RGB48LE,
                                 SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nil, nil, nil)
        guard let context else {
            let name = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "#\(f.format)"
            throw MediaError(path, "cannot convert pixel format \(name) to RGB")
        }
        let coefficients = sws_getCoefficients(space)
        _ = sws_setColorspaceDetails(context, coefficients, full ? 1 : 0, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
        switch AVFramePlanes.allocate(width: Int(f.width), height: Int(f.height), format: AV_PIX_FMT_RGB48LE) {
        case .success(let frame): rgb = frame
        case .failure(let failure): throw MediaError(path, failure.reason)
        }
        configured = key
    }

    /// Full-range YUV: tagged so, or a `yuvj*` format (which implies it).
    static func isFullRange(_ frame: UnsafePointer<AVFrame>) -> Bool {
        let format = AVPixelFormat(rawValue: frame.pointee.format)
        return frame.pointee.color_range == AVCOL_RANGE_JPEG
            || [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P].contains(format)
    }

    /// swscale's matrix constant for a frame's colour space.
    static func matrix(_ space: AVColorSpace, height: Int) -> Int32 {
        switch space {
        case AVCOL_SPC_BT709: return SWS_CS_ITU709
        case AVCOL_SPC_BT470BG, AVCOL_SPC_SMPTE170M: return SWS_CS_ITU601
        case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020
        case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M
        case AVCOL_SPC_FCC: return SWS_CS_FCC
        default: return height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601
        }
    }

    /// The name of the matrix used, for listings.
    static func matrixName(_ space: AVColorSpace, height: Int) -> String {
        switch matrix(space, height: height) {
        case SWS_CS_ITU709: return "bt709"
        case SWS_CS_BT2020: return "bt2020"
        case SWS_CS_SMPTE240M: return "smpte240m"
        case SWS_CS_FCC: return "fcc"
        default: return "bt601"
        }
    }
}
