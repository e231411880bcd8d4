/// The FFmpeg encoders `VideoCompression` can use; the raw value is FFmpeg's encoder name.
///
/// The reference (MMEditing `RandomVideoCompression`) draws libx264 (p = 2/3, as `'h264'` resolves to it) and
/// mpeg4 (p = 1/3); the others are extensions for newer-codec artefacts.
public enum VideoCodec: String, Codable, Sendable, CaseIterable {
    case libx264
    case mpeg4
    case libx265
    case libvpxVP9 = "libvpx-vp9"
    case libaomAV1 = "libaom-av1"
    case libsvtav1
}

extension VideoCodec {
    /// The smallest frame each encoder handles safely; smaller clips are padded up to it. SVT-AV1 1.4 refuses
    /// below 64×64 and x265 below 16×16; x265 3.5 also overruns a heap buffer in its cutree lookahead for frames
    /// narrower than 50 px (seen under valgrind, and as crashes at e.g. 34…48 × 16…32), so its clips are coded at
    /// least 64 px wide.
    var minimumSize: (width: Int, height: Int) {
        switch self {
        case .libx265: (64, 16)
        case .libsvtav1: (64, 64)
        case .libx264, .mpeg4, .libvpxVP9, .libaomAV1: (2, 2)
        }
    }

    /// Valid values of `RateControl.quality`.
    var qualityRange: ClosedRange<Int> {
        switch self {
        case .mpeg4: 1...31
        case .libx264, .libx265: 0...51
        case .libvpxVP9, .libaomAV1, .libsvtav1: 0...63
        }
    }

    /// Private encoder options. All of them serve determinism first (one thread, no thread pools, no
    /// row/slice/frame/lookahead threads, no x264 AVX-512: two encodes of one clip must give the same bytes), then speed for the
    /// newer codecs. GOP length and B-frames stay at the encoder defaults, as in the reference.
    var encoderOptions: [(key: String, value: String)] {
        switch self {
        case .libx264:
            // AVX-512 masked too: x264's AVX-512 kernels make the stream depend on uninitialised memory.
            [("x264-params", (["threads=1:lookahead-threads=1:sliced-threads=0"] + [X264CPUFlags.asmParameter].compactMap { $0 })
                .joined(separator: ":"))]
        case .mpeg4:
            []
        case .libx265:
            [("x265-params", "pools=none:frame-threads=1:lookahead-threads=0:log-level=error")]
        case .libvpxVP9:
            [("deadline", "realtime"), ("cpu-used", "8"), ("row-mt", "0")]
        case .libaomAV1:
            // In libaom's default "good" usage cpu-used saturates at 6 (7 and 8 give identical streams).
            [("cpu-used", "6"), ("row-mt", "0")]
        case .libsvtav1:
            [("preset", "10"), ("svtav1-params", "lp=1")]
        }
    }

    /// Decoders to try before FFmpeg's default for the codec id. FFmpeg 5's native AV1 decoder only drives
    /// hardware, so AV1 names software decoders explicitly.
    var preferredDecoders: [String] {
        switch self {
        case .libaomAV1, .libsvtav1: ["libdav1d", "libaom-av1"]
        case .libx264, .mpeg4, .libx265, .libvpxVP9: []
        }
    }
}
