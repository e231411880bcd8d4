import CAVUtil
import CShim
import Foundation

/// Process-wide FFmpeg setup and error text, shared by the video sources here and the codec ops in DegradeOps.
package enum FFmpegSupport {
    /// Runs once (Swift initialises globals lazily and thread-safely): FFmpeg logs errors only, which silences
    /// the x264/x265 banners and per-clip statistics. SVT-AV1 logs through its own channel, read from the
    /// `SVT_LOG` environment variable; it is set to 1 (errors only) unless the user already set it.
    package static func prepare() {
        _ = ffmpegPrepared
    }

    /// The FFmpeg message for a negative return code.
    package static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        cshim_av_strerror(code, &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    package static let eagain = cshim_averror_eagain()
    package static let eof = cshim_averror_eof()
}

private let ffmpegPrepared: Void = {
    av_log_set_level(AV_LOG_ERROR)
    setenv("SVT_LOG", "1", 0)
}()
