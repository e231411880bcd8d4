import CAVCodec
import CAVFormat
import CAVUtil
import CSwScale
import Foundation

/// Encodes planar YUV 4:2:0 frames (8 or 10 bits) into a container file through libavcodec + libavformat:
/// the test videos with known content, and the bundled sample video. Not a degradation op (those are in
/// DegradeOps); it writes to a temporary name and renames on `finish()`.
package final class VideoFileWriter {
    package struct Settings {
        package var encoder = "libx264"
        package var width = 256
        package var height = 144
        package var tenBit = false
        /// Keyframe interval and B-frames between references; scene-cut keyframes are switched off for
        /// libx264 so the GOP is exactly `gop`.
        package var gop = 12
        package var bFrames = 2
        package var openGOP = false
        /// Constant quantiser (0 is lossless for libx264).
        package var quantizer = 20
        /// x264/x265 speed preset; `ultrafast` keeps test encodes quick (it turns off CABAC and deblocking,
        /// which makes decoding cheaper than for typical footage).
        package var preset = "ultrafast"
        package var frameRate = 25
        package var colorSpace = AVCOL_SPC_BT709
        package var fullRange = false
        /// Clockwise quarter turns a player should apply (stored as the stream's display matrix).
        package var rotation = 0
        /// Pixel aspect ratio recorded in the stream (nil: square pixels).
        package var sampleAspect: (num: Int32, den: Int32)?
        package init() {}
    }

    private let path: String
    private let temporary: String
    private let settings: Settings
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var stream: UnsafeMutablePointer<AVStream>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var count: Int64 = 0
    private var toYUV: OpaquePointer?

    package init(path: String, settings: Settings) throws(MediaError) {
        FFmpegSupport.prepare()
        self.path = path
        self.settings = settings
        let ext = URL(fileURLWithPath: path).pathExtension
        temporary = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).\(ext)").path
        var context: UnsafeMutablePointer<AVFormatContext>?
        var status = avformat_alloc_output_context2(&context, nil, nil, path)
        guard status >= 0, let context else { throw MediaError(path, "no container for this extension (\(FFmpegSupport.message(status)))") }
        format = context
        guard let codec = avcodec_find_encoder_by_name(settings.encoder) else { throw MediaError(path, "encoder \(settings.encoder) is not in this FFmpeg build") }
        guard let e = avcodec_alloc_context3(codec), let s = avformat_new_stream(context, nil) else { throw MediaError(path, "out of memory") }
        encoder = e
        stream = s
        e.pointee.width = Int32(settings.width)
        e.pointee.height = Int32(settings.height)
        e.pointee.time_base = AVRational(num: 1, den: Int32(settings.frameRate))
        e.pointee.framerate = AVRational(num: Int32(settings.frameRate), den: 1)
        e.pointee.pix_fmt = settings.tenBit ? AV_PIX_FMT_YUV420P10LE : AV_PIX_FMT_YUV420P
        e.pointee.gop_size = Int32(settings.gop)
        e.pointee.max_b_frames = Int32(settings.bFrames)
        e.pointee.thread_count = 1
        if let sar = settings.sampleAspect { e.pointee.sample_aspect_ratio = AVRational(num: sar.num, den: sar.den) }
        e.pointee.colorspace = settings.colorSpace
        e.pointee.color_range = settings.fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
        if context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 { e.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        if settings.encoder == "libx264" || settings.encoder == "libx265" {
            let params = settings.encoder == "libx264"
                ? "threads=1:scenecut=0:keyint=\(settings.gop):min-keyint=\(settings.gop):bframes=\(settings.bFrames):open-gop=\(settings.openGOP ? 1 : 0):qp=\(settings.quantizer)"
                : "log-level=error:pools=none:frame-threads=1:scenecut=0:keyint=\(settings.gop):min-keyint=\(settings.gop):bframes=\(settings.bFrames):open-gop=\(settings.openGOP ? 1 : 0):qp=\(settings.quantizer)"
            av_opt_set(e.pointee.priv_data, settings.encoder == "libx264" ? "x264-params" : "x265-params", params, 0)
            av_opt_set(e.pointee.priv_data, "preset", settings.preset, 0)
        } else {
            e.pointee.flags |= AV_CODEC_FLAG_QSCALE
            e.pointee.global_quality = FF_QP2LAMBDA * Int32(max(settings.quantizer, 2))
        }
        status = avcodec_open2(e, codec, nil)
        guard status >= 0 else { throw MediaError(path, "cannot open \(settings.encoder): \(FFmpegSupport.message(status))") }
        status = avcodec_parameters_from_context(s.pointee.codecpar, e)
        guard status >= 0 else { throw MediaError(path, "stream parameters: \(FFmpegSupport.message(status))") }
        s.pointee.time_base = e.pointee.time_base
        s.pointee.sample_aspect_ratio = e.pointee.sample_aspect_ratio
        if settings.rotation != 0, let side = av_stream_new_side_data(s, AV_PKT_DATA_DISPLAYMATRIX, 9 * 4) {
            // av_display_rotation_set describes a clockwise turn (FFmpeg 5.1's display.h), which is what players apply.
            side.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_set($0, Double(settings.rotation)) }
        }
        status = avio_open(&context.pointee.pb, temporary, AVIO_FLAG_WRITE)
        guard status >= 0 else { throw MediaError(path, "cannot create the file: \(FFmpegSupport.message(status))") }
        status = avformat_write_header(context, nil)
        guard status >= 0 else { throw MediaError(path, "cannot write the header: \(FFmpegSupport.message(status))") }
        packet = av_packet_alloc()
    }

    deinit {
        sws_freeContext(toYUV)
        av_packet_free(&packet)
        avcodec_free_context(&encoder)
        if let format {
            if format.pointee.pb != nil { avio_closep(&format.pointee.pb) }
            avformat_free_context(format)
        }
        unlink(temporary)
    }

    /// One frame: `sample(plane, x, y)` gives plane 0 (Y, full size) and planes 1, 2 (Cb, Cr, half size) values
    /// in the stream's bit depth.
    package func append(_ sample: (Int, Int, Int) -> Int) throws(MediaError) {
        guard let encoder else { return }
        let frame: UnsafeMutablePointer<AVFrame>
        switch AVFramePlanes.allocate(width: settings.width, height: settings.height, format: encoder.pointee.pix_fmt) {
        case .success(let f): frame = f
        case .failure(let failure): throw MediaError(path, failure.reason)
        }
        defer { var f: UnsafeMutablePointer<AVFrame>? = frame; av_frame_free(&f) }
        for plane in 0..<3 {
            let (data, stride) = AVFramePlanes.plane(frame, plane)
            let w = plane == 0 ? settings.width : (settings.width + 1) / 2
            let h = plane == 0 ? settings.height : (settings.height + 1) / 2
            for y in 0..<h {
                for x in 0..<w {
                    let v = sample(plane, x, y)
                    if settings.tenBit {
                        (data + y * stride).withMemoryRebound(to: UInt16.self, capacity: w) { $0[x] = UInt16(clamping: v).littleEndian }
                    } else {
                        data[y * stride + x] = UInt8(clamping: v)
                    }
                }
            }
        }
        frame.pointee.pts = count
        frame.pointee.colorspace = settings.colorSpace
        frame.pointee.color_range = settings.fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
        count += 1
        try send(frame)
    }

    /// One RGB frame of the stream's size, converted with the stream's matrix and range (8-bit streams only).
    package func append(image: Image) throws(MediaError) {
        guard let encoder, !settings.tenBit, image.width == settings.width, image.height == settings.height, image.channels == 3 else {
            throw MediaError(path, "frame is \(image.width)×\(image.height), the video is \(settings.width)×\(settings.height) (8-bit RGB frames only)")
        }
        let rgb: UnsafeMutablePointer<AVFrame>, yuv: UnsafeMutablePointer<AVFrame>
        switch AVFramePlanes.allocate(width: image.width, height: image.height, format: AV_PIX_FMT_RGB24) {
        case .success(let f): rgb = f
        case .failure(let failure): throw MediaError(path, failure.reason)
        }
        defer { var f: UnsafeMutablePointer<AVFrame>? = rgb; av_frame_free(&f) }
        switch AVFramePlanes.allocate(width: image.width, height: image.height, format: encoder.pointee.pix_fmt) {
        case .success(let f): yuv = f
        case .failure(let failure): throw MediaError(path, failure.reason)
        }
        defer { var f: UnsafeMutablePointer<AVFrame>? = yuv; av_frame_free(&f) }
        let (data, stride) = AVFramePlanes.plane(rgb, 0)
        let packed = image.interleaved8()
        for y in 0..<image.height {
            packed.withUnsafeBufferPointer { memcpy(data + y * stride, $0.baseAddress! + y * image.width * 3, image.width * 3) }
        }
        if toYUV == nil {
            let w = Int32(image.width), h = Int32(image.height)
            toYUV = sws_getContext(w, h, AV_PIX_FMT_RGB24, w, h, encoder.pointee.pix_fmt, SWS_BICUBIC | SWS_ACCURATE_RND, nil, nil, nil)
            guard let toYUV else { throw MediaError(path, "no swscale context rgb24 → yuv") }
            let table = sws_getCoefficients(VideoPixels.matrix(settings.colorSpace, height: image.height))
            _ = sws_setColorspaceDetails(toYUV, sws_getCoefficients(SWS_CS_DEFAULT), 1, table, settings.fullRange ? 1 : 0, 0, 1 << 16, 1 << 16)
        }
        guard let toYUV else { return }
        let status = AVFramePlanes.scale(toYUV, from: rgb, sourceHeight: image.height, to: yuv)
        guard status >= 0 else { throw MediaError(path, "colour conversion failed: \(FFmpegSupport.message(status))") }
        yuv.pointee.pts = count
        yuv.pointee.colorspace = settings.colorSpace
        yuv.pointee.color_range = settings.fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
        count += 1
        try send(yuv)
    }

    package func finish() throws(MediaError) {
        try send(nil)
        guard let format else { return }
        var status = av_write_trailer(format)
        guard status >= 0 else { throw MediaError(path, "cannot finish the file: \(FFmpegSupport.message(status))") }
        status = avio_closep(&format.pointee.pb)
        guard status >= 0, rename(temporary, path) == 0 else { throw MediaError(path, "cannot finish the file") }
    }

    private func send(_ frame: UnsafeMutablePointer<AVFrame>?) throws(MediaError) {
        guard let encoder, let packet, let format, let stream else { return }
        var status = avcodec_send_frame(encoder, frame)
        guard status >= 0 else { throw MediaError(path, "encoding failed: \(FFmpegSupport.message(status))") }
        while true {
            status = avcodec_receive_packet(encoder, packet)
            if status == FFmpegSupport.eagain || status == FFmpegSupport.eof { return }
            guard status >= 0 else { throw MediaError(path, "encoding failed: \(FFmpegSupport.message(status))") }
            // Every frame lasts one tick: without a duration the MP4 muxer's edit list ends before the last frame,
            // and demuxers then drop it.
            if packet.pointee.duration == 0 { packet.pointee.duration = 1 }
            av_packet_rescale_ts(packet, encoder.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            status = av_interleaved_write_frame(format, packet)
            guard status >= 0 else { throw MediaError(path, "writing failed: \(FFmpegSupport.message(status))") }
        }
    }
}
