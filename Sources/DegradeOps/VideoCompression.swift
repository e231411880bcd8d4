import CAVCodec
import CAVUtil
import DegradeMedia
import Foundation

/// The frames of a clip after one encode/decode round trip, and what it cost.
public struct VideoCompressionResult: Sendable {
    /// Decoded frames, one per input frame, all of frame 0's size.
    public let frames: [Image]
    /// Size of the encoded stream: every packet's payload, in-band headers included (for libx264 that includes
    /// its ~0.6 KB settings SEI in the first packet, as in the reference's mp4). No container overhead.
    public let encodedBytes: Int
    /// Wall time spent converting to yuv420p and encoding.
    public let encodeSeconds: Double
    /// Wall time spent decoding and converting back to RGB.
    public let decodeSeconds: Double
    /// CPU time of the calling thread over the same spans as `encodeSeconds` (unaffected by waiting for a core).
    public let encodeCPUSeconds: Double
    /// CPU time of the calling thread over the same spans as `decodeSeconds`.
    public let decodeCPUSeconds: Double
}

/// Whole-clip lossy video compression through libavcodec (MMEditing `RandomVideoCompression`, spec §5).
///
/// The clip is **one** encoded stream, so frames are predicted from each other (I/P/B decided by the encoder):
/// 1. Each frame: `q8(x) = clip(round_half_even(255·x), 0, 255)` to RGB24 — the reference's `uint8(255·x)`
///    wraps out-of-range values around modulo 256, a bug that is not reproduced — then RGB24 → yuv420p with
///    swscale (`SWS_BILINEAR`, BT.601 limited range: PyAV's reformatter settings).
/// 2. Stream: frame 0's width × height, time base 1/1 at 1 frame/s (so `.bitrate(b)` is a budget of b bits
///    per frame), pts 0, 1, 2, …, encoder-chosen picture types, GOP/B-frames at encoder defaults. Encoders run
///    single-threaded with no slice/frame/lookahead threads so that equal clips give byte-identical streams.
/// 3. Packets go straight to the matching decoder (no container, so no mp4 edit list can drop the last frame);
///    decoded yuv → RGB24 with swscale `SWS_BILINEAR`, then `/255`.
///
/// Sizes: a frame whose size differs from frame 0's is rescaled to frame 0's size by the same swscale context
/// (bilinear), as PyAV does silently in the reference. Odd sizes, and sizes below an encoder's minimum
/// (x265 16×16, SVT-AV1 64×64), are padded by edge replication to an even, large-enough coded size for
/// encoding, and the decoded frames are cropped back.
///
/// Thread safety: every call owns its codec and swscale contexts, so different clips may be compressed
/// concurrently. FFmpeg logging is lowered to errors once per process (and `SVT_LOG=1` set if unset).
public enum VideoCompression {
    public static let opName = "VideoCompression"

    /// Whether this FFmpeg build has both the encoder and a decoder for its streams.
    public static func isAvailable(_ codec: VideoCodec) -> Bool {
        FFmpegSupport.prepare()
        return avcodec_find_encoder_by_name(codec.rawValue) != nil && VideoCodecContext.findDecoder(codec) != nil
    }

    /// Encodes `frames` as one stream with `codec` under `rate`, decodes it, and returns the decoded frames.
    public static func apply(_ frames: [Image], codec: VideoCodec, rate: RateControl) throws -> VideoCompressionResult {
        FFmpegSupport.prepare()
        guard let first = frames.first else { throw OpError(opName, "expected at least one frame, got none") }
        if let bad = frames.firstIndex(where: { $0.channels != 3 }) {
            throw OpError(opName, "expected 3-channel RGB frames, frame \(bad) has \(frames[bad].channels) channels")
        }
        switch rate {
        case .bitrate(let b) where b < 1000:
            throw OpError(opName, "\(codec.rawValue): bitrate must be at least 1000 bit/s, got \(b)")
        case .quality(let q) where !codec.qualityRange.contains(q):
            let range = codec.qualityRange
            throw OpError(opName, "\(codec.rawValue): quality must be in \(range.lowerBound)…\(range.upperBound), got \(q)")
        default: break
        }
        guard isAvailable(codec) else {
            throw OpError(opName, "\(codec.rawValue): encoder or decoder not present in this FFmpeg build")
        }
        var run = ClipRun(frameCount: frames.count, codec: codec)
        do {
            return try run.compress(frames, first: first, rate: rate)
        } catch {
            // `error` is a CodecFailure (typed throws).
            throw OpError(opName, "\(codec.rawValue) \(run.position): \(error.reason)")
        }
    }
}

/// The state of one clip's round trip: contexts, counters and timers.
private struct ClipRun {
    let frameCount: Int
    let codec: VideoCodec
    var encodedFrames = 0
    var encodedBytes = 0
    var packets = 0
    var decoded: [Image] = []
    var encodeTime = Stopwatch()
    var decodeTime = Stopwatch()
    /// Where the run is, for error messages.
    var stage = "opening codecs"

    init(frameCount: Int, codec: VideoCodec) {
        self.frameCount = frameCount
        self.codec = codec
        decoded.reserveCapacity(frameCount)
    }

    var position: String { "\(stage) (frame \(encodedFrames) of \(frameCount), \(decoded.count) decoded)" }

    mutating func compress(_ frames: [Image], first: Image, rate: RateControl) throws(CodecFailure)
        -> VideoCompressionResult
    {
        let bridge = AVFrameBridge(width: first.width, height: first.height, minimum: codec.minimumSize)
        let encoder = try VideoCodecContext.encoder(codec, rate: rate, width: bridge.codedWidth,
                                                    height: bridge.codedHeight)
        let decoder = try VideoCodecContext.decoder(for: codec)
        guard let packet = av_packet_alloc() else { throw CodecFailure("av_packet_alloc failed") }
        defer { var p: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&p) }
        guard let output = av_frame_alloc() else { throw CodecFailure("av_frame_alloc failed") }
        defer { var f: UnsafeMutablePointer<AVFrame>? = output; av_frame_free(&f) }

        // mpeg4's fixed quantiser is read from each frame, not from the context.
        var fixedQuality: Int32? = nil
        if codec == .mpeg4, case .quality = rate { fixedQuality = encoder.pointer.pointee.global_quality }
        for (index, image) in frames.enumerated() {
            stage = "encoding"
            let start = encodeTime.start()
            let frame = try bridge.encoderFrame(from: image)
            defer { var f: UnsafeMutablePointer<AVFrame>? = frame; av_frame_free(&f) }
            frame.pointee.pts = Int64(index)
            frame.pointee.pict_type = AV_PICTURE_TYPE_NONE
            if let fixedQuality { frame.pointee.quality = fixedQuality }
            let status = avcodec_send_frame(encoder.pointer, frame)
            encodeTime.stop(start)
            try check(status, "avcodec_send_frame")
            encodedFrames += 1
            try drain(encoder, into: decoder, packet: packet, output: output, bridge: bridge)
        }
        stage = "flushing encoder"
        try check(avcodec_send_frame(encoder.pointer, nil), "avcodec_send_frame(flush)")
        try drain(encoder, into: decoder, packet: packet, output: output, bridge: bridge)
        stage = "flushing decoder"
        try check(avcodec_send_packet(decoder.pointer, nil), "avcodec_send_packet(flush)")
        try receiveFrames(decoder, output: output, bridge: bridge)

        guard decoded.count == frameCount else {
            throw CodecFailure("decoder returned \(decoded.count) frames for \(frameCount) encoded (\(packets) packets)")
        }
        return VideoCompressionResult(frames: decoded, encodedBytes: encodedBytes,
                                      encodeSeconds: encodeTime.wall, decodeSeconds: decodeTime.wall,
                                      encodeCPUSeconds: encodeTime.cpu, decodeCPUSeconds: decodeTime.cpu)
    }

    /// Moves every packet the encoder has ready through the decoder.
    private mutating func drain(_ encoder: VideoCodecContext, into decoder: VideoCodecContext,
                                packet: UnsafeMutablePointer<AVPacket>, output: UnsafeMutablePointer<AVFrame>,
                                bridge: AVFrameBridge) throws(CodecFailure)
    {
        while true {
            let start = encodeTime.start()
            let status = avcodec_receive_packet(encoder.pointer, packet)
            encodeTime.stop(start)
            if status == FFmpegSupport.eagain || status == FFmpegSupport.eof { return }
            try check(status, "avcodec_receive_packet")
            defer { av_packet_unref(packet) }
            encodedBytes += Int(packet.pointee.size)
            packets += 1

            let decodeStart = decodeTime.start()
            let sent = avcodec_send_packet(decoder.pointer, packet)
            decodeTime.stop(decodeStart)
            try check(sent, "avcodec_send_packet (packet \(packets - 1))")
            try receiveFrames(decoder, output: output, bridge: bridge)
        }
    }

    /// Converts every frame the decoder has ready.
    private mutating func receiveFrames(_ decoder: VideoCodecContext, output: UnsafeMutablePointer<AVFrame>,
                                        bridge: AVFrameBridge) throws(CodecFailure)
    {
        while true {
            let start = decodeTime.start()
            defer { decodeTime.stop(start) }
            let status = avcodec_receive_frame(decoder.pointer, output)
            if status == FFmpegSupport.eagain || status == FFmpegSupport.eof { return }
            try check(status, "avcodec_receive_frame")
            defer { av_frame_unref(output) }
            guard decoded.count < frameCount else {
                throw CodecFailure("decoder returned more frames than the \(frameCount) encoded")
            }
            decoded.append(try bridge.image(from: output))
        }
    }

    private func check(_ status: Int32, _ call: String) throws(CodecFailure) {
        if status < 0 { throw CodecFailure("\(call) failed: \(FFmpegSupport.message(status))") }
    }
}

/// Accumulates wall and thread-CPU time over several spans.
private struct Stopwatch {
    var wall = 0.0
    var cpu = 0.0

    func start() -> (wall: Double, cpu: Double) { (ThreadClock.wallSeconds(), ThreadClock.cpuSeconds()) }

    mutating func stop(_ start: (wall: Double, cpu: Double)) {
        wall += ThreadClock.wallSeconds() - start.wall
        cpu += ThreadClock.cpuSeconds() - start.cpu
    }
}
