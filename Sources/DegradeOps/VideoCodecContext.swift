import CAVCodec
import CAVUtil
import DegradeMedia

/// An opened libavcodec context (encoder or decoder), freed when the owner goes away.
final class VideoCodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    private init(_ pointer: UnsafeMutablePointer<AVCodecContext>) { self.pointer = pointer }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }

    /// The encoder for one clip: `width`×`height` yuv420p at time base 1/1 and 1 frame/s (as the reference's
    /// `rate=1` stream), one thread, the codec's determinism/speed options, and the requested rate control.
    /// Everything else (GOP, B-frames, preset) stays at the encoder's defaults, as in the reference.
    static func encoder(_ codec: VideoCodec, rate: RateControl, width: Int, height: Int) throws(CodecFailure)
        -> VideoCodecContext
    {
        guard let encoder = avcodec_find_encoder_by_name(codec.rawValue) else {
            throw CodecFailure("encoder not present in this FFmpeg build")
        }
        guard let raw = avcodec_alloc_context3(encoder) else { throw CodecFailure("avcodec_alloc_context3 failed") }
        let context = VideoCodecContext(raw)
        raw.pointee.width = Int32(width)
        raw.pointee.height = Int32(height)
        raw.pointee.time_base = AVRational(num: 1, den: 1)
        raw.pointee.framerate = AVRational(num: 1, den: 1)
        raw.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        raw.pointee.thread_count = 1
        switch rate {
        case .bitrate(let bitsPerSecond):
            raw.pointee.bit_rate = Int64(bitsPerSecond)
        case .quality(let q):
            raw.pointee.bit_rate = 0
            if codec == .mpeg4 {
                // A fixed quantiser: the flag plus a lambda, which every frame must carry too (`quality`).
                raw.pointee.flags |= AV_CODEC_FLAG_QSCALE
                raw.pointee.global_quality = FF_QP2LAMBDA * Int32(q)
            } else {
                try setOption(raw, "crf", String(q))
            }
        }
        for option in codec.encoderOptions {
            try setOption(raw, option.key, option.value)
        }
        let status = avcodec_open2(raw, encoder, nil)
        if status < 0 { throw CodecFailure("avcodec_open2 failed: \(FFmpegSupport.message(status))") }
        return context
    }

    /// A single-threaded software decoder for the codec's stream (no container: packets go straight in).
    static func decoder(for codec: VideoCodec) throws(CodecFailure) -> VideoCodecContext {
        guard let decoder = findDecoder(codec) else {
            throw CodecFailure("no decoder for this codec in this FFmpeg build")
        }
        guard let raw = avcodec_alloc_context3(decoder) else { throw CodecFailure("avcodec_alloc_context3 failed") }
        let context = VideoCodecContext(raw)
        raw.pointee.thread_count = 1
        let status = avcodec_open2(raw, decoder, nil)
        if status < 0 {
            let name = String(cString: decoder.pointee.name)
            throw CodecFailure("opening decoder \(name) failed: \(FFmpegSupport.message(status))")
        }
        return context
    }

    static func findDecoder(_ codec: VideoCodec) -> UnsafePointer<AVCodec>? {
        for name in codec.preferredDecoders {
            if let decoder = avcodec_find_decoder_by_name(name) { return decoder }
        }
        guard let encoder = avcodec_find_encoder_by_name(codec.rawValue) else { return nil }
        return avcodec_find_decoder(encoder.pointee.id)
    }

    private static func setOption(_ context: UnsafeMutablePointer<AVCodecContext>, _ key: String, _ value: String)
        throws(CodecFailure)
    {
        let status = av_opt_set(context.pointee.priv_data, key, value, 0)
        if status < 0 {
            throw CodecFailure("setting encoder option \(key)=\(value) failed: \(FFmpegSupport.message(status))")
        }
    }
}
