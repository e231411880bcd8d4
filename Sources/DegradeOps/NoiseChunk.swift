/// Chunked processing shared by the noise ops: fields are generated a few thousand samples at a time so a frame never
/// needs a second full-size buffer.
enum NoiseChunk {
    static let size = 4096

    /// `dst[at + j] += scale · src[j]`.
    @inline(__always)
    static func addScaled(_ src: UnsafeMutableBufferPointer<Float>, _ scale: Float,
                          to dst: UnsafeMutableBufferPointer<Float>, at: Int) {
        let d = dst.baseAddress! + at
        let s = src.baseAddress!
        for j in 0..<src.count { d[j] += scale * s[j] }
    }
}
