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

/// What a `VideoCompressionSession` returns: the decoded frames as exact 8-bit samples, and the cost.
public struct VideoCompressionOutput: Sendable {
    /// Decoded frames, one per pushed frame, all of frame 0's size (`Frame8.image` gives the `Image`).
    public let frames: [Frame8]
    public let encodedBytes: Int
    public let encodeSeconds: Double
    public let decodeSeconds: Double
    public let encodeCPUSeconds: Double
    public let decodeCPUSeconds: Double
}

/// Whole-clip lossy video compression through libavcodec (MMEditing `RandomVideoCompression`).
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
    static let opName = "VideoCompression"

    /// Whether this FFmpeg build has both the encoder and a decoder for its streams.
    public static func isAvailable(_ codec: VideoCodec) -> Bool {
        FFmpegSupport.prepare()
        return avcodec_find_encoder_by_name(codec.rawValue) != nil && VideoCodecContext.findDecoder(codec) != nil
    }

    /// Encodes `frames` as one stream with `codec` under `rate`, decodes it, and returns the decoded frames.
    public static func apply(_ frames: [Image], codec: VideoCodec, rate: RateControl) throws -> VideoCompressionResult {
        let session = try VideoCompressionSession(codec: codec, rate: rate, frameCount: frames.count)
        for frame in frames { try session.push(frame) }
        let out = try session.finish()
        return VideoCompressionResult(frames: out.frames.map(\.image), encodedBytes: out.encodedBytes,
                                      encodeSeconds: out.encodeSeconds, decodeSeconds: out.decodeSeconds,
                                      encodeCPUSeconds: out.encodeCPUSeconds, decodeCPUSeconds: out.decodeCPUSeconds)
    }

    static func validate(codec: VideoCodec, rate: RateControl) throws {
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
    }
}

/// `VideoCompression` one frame at a time: `push` each frame of the clip in order, then `finish`. The encoder
/// takes a frame as soon as it is pushed, so the caller need not hold the clip's frames (the encoder keeps what it
/// needs, in yuv420p). Packets are kept (compressed, small) and decoded once the encoder is flushed and freed, so
/// the encoder's buffers and the decoded frames are never held together; decoded frames come back as `Frame8`, a
/// quarter of the memory of `Image`s. Same bytes as `VideoCompression.apply` on the same frames. One session
/// serves one clip on one thread at a time.
public final class VideoCompressionSession {
    private var run: ClipRun
    private let rate: RateControl
    private var state: State?
    private var finished = false

    /// - Parameter frameCount: how many frames will be pushed (≥ 1).
    public init(codec: VideoCodec, rate: RateControl, frameCount: Int) throws {
        FFmpegSupport.prepare()
        guard frameCount >= 1 else { throw OpError(VideoCompression.opName, "expected at least one frame, got none") }
        try VideoCompression.validate(codec: codec, rate: rate)
        self.rate = rate
        run = ClipRun(frameCount: frameCount, codec: codec)
    }

    /// Encodes the next frame (3-channel RGB). The first frame fixes the stream's size.
    public func push(_ image: Image) throws {
        guard !finished, run.encodedFrames < run.frameCount else {
            throw OpError(VideoCompression.opName, "\(run.codec.rawValue): more than the \(run.frameCount) frames announced were pushed")
        }
        guard image.channels == 3 else {
            throw OpError(VideoCompression.opName,
                          "expected 3-channel RGB frames, frame \(run.encodedFrames) has \(image.channels) channels")
        }
        try wrap { () throws(CodecFailure) in
            if state == nil { state = try run.open(first: image, rate: rate) }
            try run.encode(image, state!)
        }
    }

    /// Flushes encoder and decoder and returns every decoded frame.
    public func finish() throws -> VideoCompressionOutput {
        guard !finished else { throw OpError(VideoCompression.opName, "finish() was already called") }
        finished = true
        guard let state else { throw OpError(VideoCompression.opName, "expected at least one frame, got none") }
        return try wrap { () throws(CodecFailure) in try run.finish(state) }
    }

    /// Rewraps a `CodecFailure` as an `OpError` naming codec and position.
    private func wrap<T>(_ body: () throws(CodecFailure) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw OpError(VideoCompression.opName, "\(run.codec.rawValue) \(run.position): \(error.reason)")
        }
    }

    /// The opened contexts of a session.
    final class State {
        let bridge: AVFrameBridge
        /// Closed (nil) once flushed, before decoding starts.
        var encoder: VideoCodecContext?
        let decoder: VideoCodecContext
        let packet: PacketBox
        let output: FrameBox
        let fixedQuality: Int32?
        /// Encoded packets waiting for the decoder.
        let queue = PacketQueue()

        init(bridge: AVFrameBridge, encoder: VideoCodecContext, decoder: VideoCodecContext, packet: PacketBox,
             output: FrameBox, fixedQuality: Int32?) {
            self.bridge = bridge
            self.encoder = encoder
            self.decoder = decoder
            self.packet = packet
            self.output = output
            self.fixedQuality = fixedQuality
        }
    }
}

/// Encoded packets (references to the encoder's payloads, a few KB each) kept until the decoder takes them.
final class PacketQueue {
    private(set) var packets: [UnsafeMutablePointer<AVPacket>] = []
    private var head = 0

    func append(_ packet: UnsafeMutablePointer<AVPacket>) { packets.append(packet) }

    /// The oldest packet not yet taken; the caller frees it.
    func popFirst() -> UnsafeMutablePointer<AVPacket>? {
        guard head < packets.count else { return nil }
        head += 1
        return packets[head - 1]
    }

    deinit {
        for packet in packets[head...] {
            var p: UnsafeMutablePointer<AVPacket>? = packet
            av_packet_free(&p)
        }
    }
}

/// An `AVPacket` freed with its owner.
final class PacketBox {
    let pointer: UnsafeMutablePointer<AVPacket>
    init() throws(CodecFailure) {
        guard let p = av_packet_alloc() else { throw CodecFailure("av_packet_alloc failed") }
        pointer = p
    }
    deinit { var p: UnsafeMutablePointer<AVPacket>? = pointer; av_packet_free(&p) }
}

/// An `AVFrame` freed with its owner.
final class FrameBox {
    let pointer: UnsafeMutablePointer<AVFrame>
    init() throws(CodecFailure) {
        guard let f = av_frame_alloc() else { throw CodecFailure("av_frame_alloc failed") }
        pointer = f
    }
    deinit { var f: UnsafeMutablePointer<AVFrame>? = pointer; av_frame_free(&f) }
}

/// The state of one clip's round trip: contexts, counters and timers.
struct ClipRun {
    let frameCount: Int
    let codec: VideoCodec
    var encodedFrames = 0
    var encodedBytes = 0
    var packets = 0
    var decoded: [Frame8] = []
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

    /// Opens the codecs for a stream of `first`'s size.
    mutating func open(first: Image, rate: RateControl) throws(CodecFailure) -> VideoCompressionSession.State {
        let bridge = AVFrameBridge(width: first.width, height: first.height, minimum: codec.minimumSize)
        let encoder = try VideoCodecContext.encoder(codec, rate: rate, width: bridge.codedWidth,
                                                    height: bridge.codedHeight)
        let decoder = try VideoCodecContext.decoder(for: codec)
        // mpeg4's fixed quantiser is read from each frame, not from the context.
        var fixedQuality: Int32? = nil
        if codec == .mpeg4, case .quality = rate { fixedQuality = encoder.pointer.pointee.global_quality }
        return VideoCompressionSession.State(bridge: bridge, encoder: encoder, decoder: decoder, packet: try PacketBox(),
                                             output: try FrameBox(), fixedQuality: fixedQuality)
    }

    mutating func encode(_ image: Image, _ s: VideoCompressionSession.State) throws(CodecFailure) {
        stage = "encoding"
        let start = encodeTime.start()
        let frame = try s.bridge.encoderFrame(from: image)
        defer { var f: UnsafeMutablePointer<AVFrame>? = frame; av_frame_free(&f) }
        frame.pointee.pts = Int64(encodedFrames)
        frame.pointee.pict_type = AV_PICTURE_TYPE_NONE
        if let q = s.fixedQuality { frame.pointee.quality = q }
        let status = avcodec_send_frame(s.encoder!.pointer, frame)
        encodeTime.stop(start)
        try check(status, "avcodec_send_frame")
        encodedFrames += 1
        try drain(s.encoder!, into: s.queue, packet: s.packet.pointer)
    }

    mutating func finish(_ s: VideoCompressionSession.State) throws(CodecFailure) -> VideoCompressionOutput {
        guard encodedFrames == frameCount else {
            throw CodecFailure("\(encodedFrames) frames were pushed, \(frameCount) announced")
        }
        stage = "flushing encoder"
        try check(avcodec_send_frame(s.encoder!.pointer, nil), "avcodec_send_frame(flush)")
        try drain(s.encoder!, into: s.queue, packet: s.packet.pointer)
        // The encoder (x264 keeps its whole lookahead, every frame of a short clip) is freed before the decoded
        // frames pile up, so the two never take memory at the same time.
        s.encoder = nil
        stage = "decoding"
        var index = 0
        while let packet = s.queue.popFirst() {
            defer { var p: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&p) }
            let decodeStart = decodeTime.start()
            let sent = avcodec_send_packet(s.decoder.pointer, packet)
            decodeTime.stop(decodeStart)
            try check(sent, "avcodec_send_packet (packet \(index))")
            index += 1
            try receiveFrames(s.decoder, output: s.output.pointer, bridge: s.bridge)
        }
        stage = "flushing decoder"
        try check(avcodec_send_packet(s.decoder.pointer, nil), "avcodec_send_packet(flush)")
        try receiveFrames(s.decoder, output: s.output.pointer, bridge: s.bridge)

        guard decoded.count == frameCount else {
            throw CodecFailure("decoder returned \(decoded.count) frames for \(frameCount) encoded (\(packets) packets)")
        }
        return VideoCompressionOutput(frames: decoded, encodedBytes: encodedBytes,
                                      encodeSeconds: encodeTime.wall, decodeSeconds: decodeTime.wall,
                                      encodeCPUSeconds: encodeTime.cpu, decodeCPUSeconds: decodeTime.cpu)
    }

    /// Queues every packet the encoder has ready (a reference to its payload; decoded after the flush).
    private mutating func drain(_ encoder: VideoCodecContext, into queue: PacketQueue,
                                packet: UnsafeMutablePointer<AVPacket>) throws(CodecFailure)
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
            guard let kept = av_packet_clone(packet) else { throw CodecFailure("av_packet_clone failed") }
            queue.append(kept)
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
            decoded.append(try bridge.packed(from: output))
        }
    }

    private func check(_ status: Int32, _ call: String) throws(CodecFailure) {
        if status < 0 { throw CodecFailure("\(call) failed: \(FFmpegSupport.message(status))") }
    }
}

/// Accumulates wall and thread-CPU time over several spans.
struct Stopwatch {
    var wall = 0.0
    var cpu = 0.0

    func start() -> (wall: Double, cpu: Double) { (ThreadClock.wallSeconds(), ThreadClock.cpuSeconds()) }

    mutating func stop(_ start: (wall: Double, cpu: Double)) {
        wall += ThreadClock.wallSeconds() - start.wall
        cpu += ThreadClock.cpuSeconds() - start.cpu
    }
}
