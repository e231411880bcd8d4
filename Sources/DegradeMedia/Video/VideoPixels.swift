import CAVUtil
import CSwScale
import Foundation

/// Decoded video frames to `Image`s (planar Float RGB in [0, 1]) with the stream's colour details.
///
/// Conversion uses the frame's matrix (BT.601, BT.709, BT.2020, …; unspecified means BT.709 from 720 lines up
/// and BT.601 below, as players guess) and range (limited or full; `yuvj*` formats are full).
/// - Planar YUV of any depth and subsampling (yuv420p, yuv420p10le, yuv422p, yuv444p, …: camera and web video):
///   converted here (`PlanarYUV`) in floating point with the standard equations, each pixel taking the chroma
///   sample of its 2×2 (4:2:0) or 2×1 (4:2:2) block (no chroma interpolation, as most loaders' default fast
///   paths), then rounded to the nearest 8-bit level — no dithering — so 8- and 10-bit sources give the 256 levels
///   a PNG frame holds. Only the pixels a crop needs are converted.
/// - Anything else (RGB, packed or paletted formats): swscale to 16-bit RGB with bicubic chroma and accurate
///   rounding, then rounded to the nearest 8-bit level the same way.
/// Identical frames give identical bytes. Quarter-turn rotation from the display matrix is applied.
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
        let format = AVPixelFormat(rawValue: frame.pointee.format)
        if let layout = PlanarYUV(frame) {
            let whole = PixelRegion(x: 0, y: 0, width: w, height: h)
            let matrix = YUVMatrix(Self.matrix(frame.pointee.colorspace, height: h), full: Self.isFullRange(frame))
            if rotation == 0 {
                let r = region ?? whole
                guard r.fits(width: w, height: h) else { throw MediaError(path, "region \(r) is outside the \(w)×\(h) frames") }
                return layout.image(frame, region: r, matrix: matrix)
            }
            return try Self.turned(layout.image(frame, region: whole, matrix: matrix), by: rotation, region: region, path: path)
        }
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
                            // round(255·v/65535) = round(v/257), exactly, for integers.
                            px[c * plane + o] = Float((Int(UInt16(littleEndian: s[c])) + 128) / 257) / 255
                        }
                    }
                }
            }
        }
        return out
    }

    /// `image` turned clockwise by a quarter-turn multiple, then cut to `region` (displayed coordinates).
    static func turned(_ image: Image, by rotation: Int, region: PixelRegion?, path: String) throws(MediaError) -> Image {
        let w = image.width, h = image.height
        let shown = displayed(width: w, height: h, rotation: rotation)
        let r = region ?? PixelRegion(x: 0, y: 0, width: shown.width, height: shown.height)
        guard r.fits(width: shown.width, height: shown.height) else {
            throw MediaError(path, "region \(r) is outside the \(shown.width)×\(shown.height) frames")
        }
        var out = Image(width: r.width, height: r.height)
        let inPlane = w * h, outPlane = r.width * r.height
        image.pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for oy in 0..<r.height {
                    for ox in 0..<r.width {
                        let x = r.x + ox, y = r.y + oy
                        let (sx, sy): (Int, Int)
                        switch rotation {
                        case 90: (sx, sy) = (y, h - 1 - x)
                        case 180: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case 270: (sx, sy) = (w - 1 - y, x)
                        default: (sx, sy) = (x, y)
                        }
                        for c in 0..<3 { dst[c * outPlane + oy * r.width + ox] = src[c * inPlane + sy * w + sx] }
                    }
                }
            }
        }
        return out
    }

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

/// Kr/Kb of a matrix and the range's offsets and scales, for `PlanarYUV`.
struct YUVMatrix {
    let kr: Float, kb: Float
    let full: Bool

    init(_ swsMatrix: Int32, full: Bool) {
        switch swsMatrix {
        case SWS_CS_ITU709: (kr, kb) = (0.2126, 0.0722)
        case SWS_CS_BT2020: (kr, kb) = (0.2627, 0.0593)
        case SWS_CS_SMPTE240M: (kr, kb) = (0.212, 0.087)
        case SWS_CS_FCC: (kr, kb) = (0.30, 0.11)
        default: (kr, kb) = (0.299, 0.114)
        }
        self.full = full
    }
}

/// A planar YUV pixel format swscale need not touch: three planes, 8–16 bits, little-endian.
struct PlanarYUV {
    let depth: Int
    let chromaShiftX: Int, chromaShiftY: Int
    let wide: Bool

    init?(_ frame: UnsafePointer<AVFrame>) {
        guard let d = av_pix_fmt_desc_get(AVPixelFormat(rawValue: frame.pointee.format))?.pointee else { return nil }
        let planar = UInt64(AV_PIX_FMT_FLAG_PLANAR), rgb = UInt64(AV_PIX_FMT_FLAG_RGB)
        let bigEndian = UInt64(AV_PIX_FMT_FLAG_BE), palette = UInt64(AV_PIX_FMT_FLAG_PAL)
        guard d.nb_components == 3, d.flags & planar != 0, d.flags & (rgb | bigEndian | palette) == 0,
              d.comp.0.plane == 0, d.comp.1.plane == 1, d.comp.2.plane == 2,
              d.comp.0.shift == 0, d.comp.0.offset == 0, (8...16).contains(Int(d.comp.0.depth)) else { return nil }
        depth = Int(d.comp.0.depth)
        wide = depth > 8
        chromaShiftX = Int(d.log2_chroma_w)
        chromaShiftY = Int(d.log2_chroma_h)
    }

    /// `region` of the frame as RGB in [0, 1], each channel rounded to the nearest of 256 levels.
    func image(_ frame: UnsafePointer<AVFrame>, region r: PixelRegion, matrix m: YUVMatrix) -> Image {
        let (yData, yStride) = AVFramePlanes.plane(frame, 0)
        let (uData, uStride) = AVFramePlanes.plane(frame, 1)
        let (vData, vStride) = AVFramePlanes.plane(frame, 2)
        // Samples are brought to the 8-bit scale first (a 10-bit 940 is 235), then the range is undone.
        let unit = 1 / Float(1 << (depth - 8))
        let yOffset: Float = m.full ? 0 : 16, yScale: Float = m.full ? 1 : 255 / 219
        let cScale: Float = m.full ? 1 : 255 / 224
        let kg = 1 - m.kr - m.kb
        let rv = 2 * (1 - m.kr) * cScale, bu = 2 * (1 - m.kb) * cScale
        let gu = 2 * m.kb * (1 - m.kb) / kg * cScale, gv = 2 * m.kr * (1 - m.kr) / kg * cScale
        var out = Image(width: r.width, height: r.height)
        let plane = r.width * r.height
        out.pixels.withUnsafeMutableBufferPointer { px in
            let red = px.baseAddress!, green = red + plane, blue = green + plane
            for oy in 0..<r.height {
                let y = r.y + oy, cy = y >> chromaShiftY
                let yRow = yData + y * yStride, uRow = uData + cy * uStride, vRow = vData + cy * vStride
                let o = oy * r.width
                // One loop per sample width, so the inner loop has no per-pixel branch on the depth.
                if wide {
                    let y16 = UnsafeRawPointer(yRow), u16 = UnsafeRawPointer(uRow), v16 = UnsafeRawPointer(vRow)
                    for ox in 0..<r.width {
                        let x = r.x + ox, cx = x >> chromaShiftX
                        let luma = (Float(UInt16(littleEndian: y16.loadUnaligned(fromByteOffset: 2 * x, as: UInt16.self))) * unit - yOffset) * yScale
                        let u = Float(UInt16(littleEndian: u16.loadUnaligned(fromByteOffset: 2 * cx, as: UInt16.self))) * unit - 128
                        let v = Float(UInt16(littleEndian: v16.loadUnaligned(fromByteOffset: 2 * cx, as: UInt16.self))) * unit - 128
                        red[o + ox] = Self.level(luma + rv * v)
                        green[o + ox] = Self.level(luma - gu * u - gv * v)
                        blue[o + ox] = Self.level(luma + bu * u)
                    }
                } else {
                    for ox in 0..<r.width {
                        let x = r.x &+ ox, cx = x >> chromaShiftX
                        let luma = (Float(yRow[x]) - yOffset) * yScale
                        let u = Float(uRow[cx]) - 128, v = Float(vRow[cx]) - 128
                        red[o &+ ox] = Self.level(luma + rv * v)
                        green[o &+ ox] = Self.level(luma - gu * u - gv * v)
                        blue[o &+ ox] = Self.level(luma + bu * u)
                    }
                }
            }
        }
        return out
    }

    /// The nearest of the 256 levels, as `level/255` (how 8-bit PNG frames are read).
    @inline(__always) static func level(_ value: Float) -> Float {
        (min(max(value, 0), 255)).rounded() / 255
    }
}
