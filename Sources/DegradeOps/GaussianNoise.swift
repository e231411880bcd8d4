import DegradeMedia
import DegradeRandom

/// Additive white Gaussian noise (MME `RandomNoise` gaussian branch, BasicSR `generate_gaussian_noise`).
///
/// `out = img + σ·n`, `n ~ N(0,1)`:
/// - colour: i.i.d. per sample; channel `c`, pixel `i` takes element `c·H·W + i` of the normal field `(key, substream)`;
/// - gray: one field over the plane (element `i`) added to every channel.
///
/// No clipping: the references (MME 0.x `RandomNoise`) do not clip after noise, so values may leave [0, 1]; a later
/// clip or quantise step decides. σ is in image units (σ₂₅₅/255), already sampled by the caller.
public enum GaussianNoise {
    public static func apply(_ image: inout Image, sigma: Float, gray: Bool, key: RandomKey, substream: UInt64) throws {
        guard sigma.isFinite && sigma >= 0 else {
            throw OpError("GaussianNoise", "sigma must be finite and ≥ 0, got \(sigma)")
        }
        let plane = image.planeSize
        let channels = image.channels
        let chunk = min(plane, NoiseChunk.size)
        var noise = [Float](repeating: 0, count: chunk)
        image.pixels.withUnsafeMutableBufferPointer { px in
            noise.withUnsafeMutableBufferPointer { nz in
                var offset = 0
                while offset < plane {
                    let n = min(chunk, plane - offset)
                    let field = UnsafeMutableBufferPointer(rebasing: nz[0..<n])
                    if gray {
                        RandomField.fillNormal(field, key: key, substream: substream, start: offset)
                        for c in 0..<channels { NoiseChunk.addScaled(field, sigma, to: px, at: c &* plane &+ offset) }
                    } else {
                        for c in 0..<channels {
                            let start = c &* plane &+ offset
                            RandomField.fillNormal(field, key: key, substream: substream, start: start)
                            NoiseChunk.addScaled(field, sigma, to: px, at: start)
                        }
                    }
                    offset += n
                }
            }
        }
    }
}
