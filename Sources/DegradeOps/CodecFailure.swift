/// A failure inside the FFmpeg plumbing; `VideoCompression` rewraps it as an `OpError` naming codec and frame.
struct CodecFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
