import CAVCodec
import CAVFormat
import CAVUtil
import Foundation

/// One open video file: its video stream's demuxer and a single-threaded software decoder, read forward frame
/// by frame in presentation order. Every loop is bounded by packet counts, so a damaged or growing file ends
/// in an error rather than a hang. One reader serves one thread.
final class VideoReader {
    /// Frames larger than this on either side are refused before anything is decoded (8K DCI is 8192 wide).
    static let maximumSide = 8192

    let path: String
    private let handles: FFmpegHandles
    let streamIndex: Int32
    let timeBase: AVRational
    let width: Int
    let height: Int
    let codecName: String
    /// Degrees to turn decoded frames clockwise (0, 90, 180 or 270), from the stream's display matrix.
    let rotation: Int
    /// Stream-level colour details; frames may refine them.
    let colorSpace: AVColorSpace
    let colorRange: AVColorRange

    private var draining = false
    private var packetsRead = 0
    /// The most packets (of any stream) one reader may read: far above any file's count, so only a file that keeps
    /// growing or a demuxer that loops reaches it.
    private var packetBudget: Int

    init(path: String) throws(MediaError) {
        FFmpegSupport.prepare()
        self.path = path
        let size = Self.fileSize(path)
        guard let size else { throw MediaError(path, "cannot read the file (missing, or not a regular file)") }
        guard size > 0 else { throw MediaError(path, "the file is empty (0 bytes); expected a video file") }
        packetBudget = Int(min(size, 1 << 40)) + 100_000

        // The handles free whatever was opened when they go away, also when init throws below.
        let handles = FFmpegHandles()
        let opened = avformat_open_input(&handles.format, path, nil, nil)
        guard opened >= 0, let context = handles.format else {
            throw MediaError(path, "not a video file FFmpeg can read (\(FFmpegSupport.message(opened)))")
        }

        // Sizes the container header states are checked before probing, which would decode a first frame.
        for i in 0..<Int(context.pointee.nb_streams) {
            guard let p = context.pointee.streams[i]?.pointee.codecpar, p.pointee.codec_type == AVMEDIA_TYPE_VIDEO else { continue }
            try Self.checkSize(Int(p.pointee.width), Int(p.pointee.height), path: path)
        }
        let probed = avformat_find_stream_info(context, nil)
        guard probed >= 0 else {
            throw MediaError(path, "the container cannot be read (\(FFmpegSupport.message(probed))); truncated or damaged?")
        }
        let best = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard best >= 0 else {
            let kinds = (0..<Int(context.pointee.nb_streams)).compactMap { i -> String? in
                guard let s = context.pointee.streams[i] else { return nil }
                return av_get_media_type_string(s.pointee.codecpar.pointee.codec_type).map { String(cString: $0) }
            }
            let held = kinds.isEmpty ? "no streams at all" : "only \(kinds.joined(separator: ", ")) streams"
            throw MediaError(path, "the file has no video stream (\(held)); expected a video")
        }
        guard let stream = context.pointee.streams[Int(best)] else { throw MediaError(path, "video stream \(best) is missing") }
        let parameters = stream.pointee.codecpar!
        for i in 0..<Int(context.pointee.nb_streams) where i != Int(best) {
            context.pointee.streams[i]?.pointee.discard = AVDISCARD_ALL
        }
        let width = Int(parameters.pointee.width), height = Int(parameters.pointee.height)
        guard width > 0, height > 0 else {
            throw MediaError(path, "the video stream declares no frame size (\(width)×\(height)); damaged header?")
        }
        try Self.checkSize(width, height, path: path)
        let sar = parameters.pointee.sample_aspect_ratio
        if sar.num > 0, sar.den > 0, sar.num != sar.den {
            throw MediaError(path, "the video has non-square pixels (sample aspect ratio \(sar.num):\(sar.den)); degrade reads square pixels only. Re-encode it first, e.g. ffmpeg -i IN -vf \"scale=trunc(iw*sar/2)*2:ih,setsar=1\" OUT.mp4")
        }
        let rotation = try Self.rotation(of: stream, path: path)

        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            let name = avcodec_get_name(parameters.pointee.codec_id).map { String(cString: $0) } ?? "unknown"
            throw MediaError(path, "this FFmpeg build has no decoder for the video codec \(name)")
        }
        let codecName = String(cString: codec.pointee.name)
        guard let raw = avcodec_alloc_context3(codec) else { throw MediaError(path, "avcodec_alloc_context3 failed") }
        handles.decoder = raw
        let copied = avcodec_parameters_to_context(raw, parameters)
        guard copied >= 0 else { throw MediaError(path, "the \(codecName) stream parameters are invalid (\(FFmpegSupport.message(copied)))") }
        raw.pointee.thread_count = 1
        raw.pointee.pkt_timebase = stream.pointee.time_base
        // Damage the decoder detects becomes an error naming the frame, instead of silently concealed pixels.
        raw.pointee.err_recognition |= AV_EF_EXPLODE
        let status = avcodec_open2(raw, codec, nil)
        guard status >= 0 else { throw MediaError(path, "cannot open the \(codecName) decoder (\(FFmpegSupport.message(status)))") }
        handles.packet = av_packet_alloc()
        handles.frame = av_frame_alloc()
        guard handles.packet != nil, handles.frame != nil else { throw MediaError(path, "out of memory allocating decoder buffers") }
        self.handles = handles
        self.streamIndex = best
        self.timeBase = stream.pointee.time_base
        self.width = width
        self.height = height
        self.codecName = codecName
        self.rotation = rotation
        self.colorSpace = parameters.pointee.color_space
        self.colorRange = parameters.pointee.color_range
    }

    /// Seconds for a stream timestamp, for messages.
    func seconds(_ pts: Int64) -> String {
        guard pts != Int64.min, timeBase.den != 0 else { return "unknown time" }
        return String(format: "t=%.3f s", Double(pts) * Double(timeBase.num) / Double(timeBase.den))
    }

    /// Decode errors of packets and frames before this timestamp are ignored: after a seek into an open GOP the
    /// leading frames reference pictures before the keyframe, so they cannot decode, and they precede the
    /// window anyway. Set by `seek(to:tolerating:)`.
    private var toleratedBefore = Int64.min

    /// When set (indexing), damaged packets and frames do not stop the reader: they are counted in `damageCount`
    /// and decoding goes on, so one bad stretch costs the windows over it, not the whole file.
    var toleratesDamage = false
    private(set) var damageCount = 0
    /// Decoder errors in a row without a packet read in between: bounds the loop when a decoder keeps failing.
    private var failuresInARow = 0

    /// The next decoded frame in presentation order (valid until the next call), or nil at the end of the stream.
    func next() throws(MediaError) -> UnsafeMutablePointer<AVFrame>? {
        guard let decoder = handles.decoder, let frame = handles.frame, let packet = handles.packet,
              let format = handles.format else { return nil }
        while true {
            av_frame_unref(frame)
            let received = avcodec_receive_frame(decoder, frame)
            if received == 0 {
                if frame.pointee.decode_error_flags != 0 || frame.pointee.flags & AV_FRAME_FLAG_CORRUPT != 0 {
                    if frame.pointee.best_effort_timestamp < toleratedBefore { continue }
                    if toleratesDamage {
                        damageCount += 1
                        return frame
                    }
                    throw MediaError(path, "the frame at \(seconds(frame.pointee.best_effort_timestamp)) is damaged (decode errors)")
                }
                return frame
            }
            if received == FFmpegSupport.eof { return nil }
            if received != FFmpegSupport.eagain, toleratesDamage, failuresInARow < 64 {
                damageCount += 1
                failuresInARow += 1
                continue
            }
            guard received == FFmpegSupport.eagain else {
                throw MediaError(path, "decoding failed near \(seconds(packet.pointee.pts)): \(FFmpegSupport.message(received))")
            }
            guard !draining else { return nil }
            packetsRead += 1
            guard packetsRead <= packetBudget else {
                throw MediaError(path, "gave up after \(packetBudget) packets without reaching the end of the stream; is the file still being written?")
            }
            av_packet_unref(packet)
            let read = av_read_frame(format, packet)
            if read == FFmpegSupport.eof {
                draining = true
                _ = avcodec_send_packet(decoder, nil)
                continue
            }
            guard read >= 0 else {
                throw MediaError(path, "reading failed after \(packetsRead) packets: \(FFmpegSupport.message(read)); truncated or damaged?")
            }
            guard packet.pointee.stream_index == streamIndex else { continue }
            failuresInARow = 0
            let pts = packet.pointee.pts
            decoder.pointee.skip_frame = pts != Int64.min && pts < unreferencedSkippedBefore ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
            let sent = avcodec_send_packet(decoder, packet)
            let leading = packet.pointee.pts != Int64.min && packet.pointee.pts < toleratedBefore
            if sent < 0, sent != FFmpegSupport.eagain, !leading, toleratesDamage {
                damageCount += 1
                continue
            }
            guard sent >= 0 || sent == FFmpegSupport.eagain || leading else {
                throw MediaError(path, "the packet at \(seconds(packet.pointee.pts)) cannot be decoded (\(FFmpegSupport.message(sent))); the file is damaged there")
            }
        }
    }

    /// Moves to the keyframe at or before `pts` and resets the decoder, so `next()` continues from there;
    /// frames before `window` may fail to decode without an error.
    /// Decode errors of frames before `pts` are ignored (they precede the window being read).
    func tolerate(before pts: Int64) {
        toleratedBefore = pts
    }

    /// Packets of frames shown before this timestamp may be dropped by the decoder when no other frame references
    /// them (`AVDISCARD_NONREF`: most B-frames): a window never needs them, and every reference picture is still
    /// decoded in full, so the window's frames are bit-identical to a full decode. Off (Int64.min) by default.
    var unreferencedSkippedBefore = Int64.min

    func seek(to pts: Int64, tolerating window: Int64) throws(MediaError) {
        toleratedBefore = window
        guard let format = handles.format, let decoder = handles.decoder else { return }
        let status = av_seek_frame(format, streamIndex, pts, AVSEEK_FLAG_BACKWARD)
        guard status >= 0 else { throw MediaError(path, "cannot seek to \(seconds(pts)) (\(FFmpegSupport.message(status)))") }
        avcodec_flush_buffers(decoder)
        draining = false
    }

    private static func checkSize(_ width: Int, _ height: Int, path: String) throws(MediaError) {
        guard width <= maximumSide, height <= maximumSide else {
            throw MediaError(path, "the video stream is \(width)×\(height); degrade reads frames up to \(maximumSide) pixels on a side")
        }
    }

    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Clockwise quarter turns from the display matrix; other angles are refused rather than shown skewed.
    private static func rotation(of stream: UnsafeMutablePointer<AVStream>, path: String) throws(MediaError) -> Int {
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nil) else { return 0 }
        let counterClockwise = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard counterClockwise.isFinite else { return 0 }
        let clockwise = -counterClockwise
        let quarter = (clockwise / 90).rounded()
        guard abs(clockwise - 90 * quarter) < 1 else {
            throw MediaError(path, "the video is rotated by \(String(format: "%.1f", clockwise))°; degrade applies quarter turns only")
        }
        return ((Int(quarter) % 4 + 4) % 4) * 90
    }
}

/// The FFmpeg objects of one reader, freed together.
private final class FFmpegHandles {
    var format: UnsafeMutablePointer<AVFormatContext>?
    var decoder: UnsafeMutablePointer<AVCodecContext>?
    var packet: UnsafeMutablePointer<AVPacket>?
    var frame: UnsafeMutablePointer<AVFrame>?

    deinit {
        av_packet_free(&packet)
        av_frame_free(&frame)
        avcodec_free_context(&decoder)
        avformat_close_input(&format)
    }
}
