import CAVCodec
import CAVUtil
import CShim
import Foundation

/// Process-wide FFmpeg setup and error text, shared by the video ops.
enum FFmpegSupport {
    /// Runs once (Swift initialises globals lazily and thread-safely): FFmpeg logs errors only, which silences
    /// the x264/x265 banners and per-clip statistics. SVT-AV1 logs through its own channel, read from the
    /// `SVT_LOG` environment variable; it is set to 1 (errors only) unless the user already set it.
    static func prepare() {
        _ = ffmpegPrepared
    }

    /// The FFmpeg message for a negative return code.
    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        cshim_av_strerror(code, &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static let eagain = cshim_averror_eagain()
    static let eof = cshim_averror_eof()
}

/// A failure inside the FFmpeg plumbing; `VideoCompression` rewraps it as an `OpError` naming codec and frame.
struct CodecFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

private let ffmpegPrepared: Void = {
    av_log_set_level(AV_LOG_ERROR)
    setenv("SVT_LOG", "1", 0)
}()
