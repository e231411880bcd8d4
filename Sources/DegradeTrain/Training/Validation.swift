import DegradeAudit
import DegradeMedia
import DegradeOps
import DegradeRender
import Foundation

/// Validation on a rendered set: PSNR / SSIM on Y (BasicSR conventions, `crop_border` pixels cut from each side)
/// of the network's output and of a bicubic ×4 baseline against the GT, averaged over frames, then clips; with
/// `niqe`, also the outputs' NIQE (no-reference, same crop; frames too small for it are left out).
public struct ValidationSet: Sendable {
    public struct Clip: Sendable {
        public var key: String
        public var lq: [Image]
        public var gt: [Image]
        public init(key: String, lq: [Image], gt: [Image]) {
            self.key = key
            self.lq = lq
            self.gt = gt
        }
    }
    public var clips: [Clip]
    public var cropBorder: Int
    public var niqe = false

    /// Clips already in memory.
    public init(clips: [Clip], cropBorder: Int) {
        self.clips = clips
        self.cropBorder = cropBorder
    }

    /// Loads up to `maxClips` clips (catalog order) of the rendered set at `root`.
    public init(root: String, maxClips: Int, cropBorder: Int) throws {
        let set = try RenderedSet(root: root)
        clips = try set.keys.prefix(maxClips).map { key in
            let s = try set.load(key)
            guard !s.gt.isEmpty else { throw TrainError("validation clip \(key) in \(root) has no GT frames") }
            return Clip(key: key, lq: s.lq, gt: s.gt)
        }
        self.cropBorder = cropBorder
    }

    public struct Scores: Sendable, Equatable {
        public var psnr: Double
        public var ssim: Double
        var bicubicPSNR: Double
        /// Mean NIQE of the outputs when enabled and at least one frame was large enough.
        public var niqe: Double? = nil
    }

    /// Scores of `upscale` (e.g. `RealBasicVSRNet.upscale` under EMA weights) on every clip.
    public func evaluate(_ upscale: ([Image]) throws -> [Image]) throws -> Scores {
        var psnr = 0.0, ssim = 0.0, bicubic = 0.0
        var niqeSum = 0.0, niqeClips = 0
        for clip in clips {
            let out = try upscale(clip.lq)
            var p = 0.0, s = 0.0, b = 0.0
            for (i, gt) in clip.gt.enumerated() {
                let g = crop(gt)
                p += min(ImageMetrics.psnrY(crop(out[i]), g), ImageMetrics.psnrCap)
                s += ImageMetrics.ssimY(crop(out[i]), g) ?? 0
                let up = try Resize.apply(clip.lq[i], width: gt.width, height: gt.height, interpolation: .bicubic)
                b += min(ImageMetrics.psnrY(crop(up), g), ImageMetrics.psnrCap)
            }
            let n = Double(clip.gt.count)
            psnr += p / n; ssim += s / n; bicubic += b / n
            if niqe {
                let frames = out.prefix(clip.gt.count).compactMap { NIQE.score($0, cropBorder: cropBorder) }
                if !frames.isEmpty { niqeSum += frames.reduce(0, +) / Double(frames.count); niqeClips += 1 }
            }
        }
        let n = Double(max(1, clips.count))
        return Scores(psnr: psnr / n, ssim: ssim / n, bicubicPSNR: bicubic / n,
                      niqe: niqeClips > 0 ? niqeSum / Double(niqeClips) : nil)
    }

    private func crop(_ image: Image) -> Image {
        let c = cropBorder
        guard c > 0, image.width > 2 * c, image.height > 2 * c else { return image }
        let w = image.width - 2 * c, h = image.height - 2 * c
        var pixels = [Float]()
        pixels.reserveCapacity(w * h * image.channels)
        for ch in 0..<image.channels {
            for row in c..<(c + h) {
                let start = ch * image.planeSize + row * image.width + c
                pixels.append(contentsOf: image.pixels[start..<(start + w)])
            }
        }
        return Image(width: w, height: h, channels: image.channels, pixels: pixels)
    }
}
