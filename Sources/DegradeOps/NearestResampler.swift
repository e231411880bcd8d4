/// `INTER_NEAREST` on one plane: `dst[dy][dx] = src[y[dy]][x[dx]]` with precomputed clamped indices.
enum NearestResampler {
    static func run(_ src: UnsafePointer<Float>, sourceWidth sw: Int, x: [Int], y: [Int],
                    into dst: UnsafeMutablePointer<Float>) {
        let n = x.count
        x.withUnsafeBufferPointer { xi in
            for (dy, sy) in y.enumerated() {
                let s = src + sy &* sw
                let o = dst + dy &* n
                for dx in 0..<n { o[dx] = s[xi[dx]] }
            }
        }
    }
}
