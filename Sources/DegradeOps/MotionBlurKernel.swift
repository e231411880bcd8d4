#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Linear motion blur: the streak a point leaves when the camera (or the subject) moves in a straight line during
/// the exposure. A segment of `length` px through the kernel's centre at `angle` radians (counter-clockwise from
/// the +x axis as seen on screen, i.e. with image rows growing downwards), drawn one pixel wide with antialiasing:
/// each tap is weighted by how much of its pixel the segment covers along the motion (exact 1-D overlap of the
/// pixel with the segment) times a tent of its distance across it (1 − |d|). Weights are normalised to sum 1, so
/// a length under 1 px gives (nearly) a delta, and length and angle may change smoothly from frame to frame.
public enum MotionBlurKernel {
    /// The smallest odd kernel side that holds a segment of `length` at any angle, clamped to 1…`maxSize`.
    public static func size(forLength length: Double, maxSize: Int = 51) -> Int {
        guard length.isFinite, length > 0 else { return 1 }
        let half = Int((length / 2).rounded(.up)) + 1  // + 1: the tent reaches one pixel beyond the line
        return min(max(2 * half + 1, 1), maxSize % 2 == 1 ? maxSize : maxSize - 1)
    }

    /// - Throws: `OpError` when `size` is not odd and ≥ 1, or `length` (≥ 0) or `angle` is not finite.
    public static func make(length: Double, angle: Double, size: Int) throws -> BlurKernel {
        guard size >= 1, size % 2 == 1 else { throw OpError("MotionBlurKernel", "kernel size must be odd and ≥ 1, got \(size)") }
        guard length.isFinite, length >= 0 else { throw OpError("MotionBlurKernel", "length must be finite and ≥ 0, got \(length)") }
        guard angle.isFinite else { throw OpError("MotionBlurKernel", "angle must be finite, got \(angle)") }
        let c = size / 2
        let dx = cos(angle), dy = -sin(angle)  // rows grow downwards
        let half = length / 2
        var raw = [Double](repeating: 0, count: size * size)
        for row in 0..<size {
            for col in 0..<size {
                let x = Double(col - c), y = Double(row - c)
                let along = x * dx + y * dy
                let across = abs(-x * dy + y * dx)
                let coverage = min(along + 0.5, half) - max(along - 0.5, -half)
                raw[row * size + col] = max(0, coverage) * max(0, 1 - across)
            }
        }
        var total = raw.reduce(0, +)
        if total <= 0 {
            // Shorter than the pixel grid resolves: a delta.
            raw[c * size + c] = 1
            total = 1
        }
        return try BlurKernel(size: size, weights: raw.map { Float($0 / total) })
    }
}
