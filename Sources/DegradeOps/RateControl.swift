/// How a video encoder spends bits on a clip.
public enum RateControl: Codable, Sendable, Equatable {
    /// Target bit rate in bit/s. Streams run at 1 frame per second (as the reference's `rate=1` PyAV stream),
    /// so this is the average budget in bits per frame. The library encoders take kbit/s, so values below
    /// 1000 are rejected.
    case bitrate(Int)
    /// Constant quality: CRF for libx264/libx265 (0…51) and libvpx-vp9/libaom-av1/libsvtav1 (0…63; libvpx with
    /// a zero target bit rate, i.e. its constant-quality mode); a fixed quantiser scale for mpeg4 (1…31).
    /// Lower is better quality in every case.
    case quality(Int)
}
