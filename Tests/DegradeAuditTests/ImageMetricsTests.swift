import DegradeMedia
import DegradeOps
import DegradeRandom
import Foundation
import Testing
@testable import DegradeAudit

@Suite struct ImageMetricsOnSyntheticFrames {
    /// Adds N(0, σ²) per channel, σ in 8-bit levels.
    static func noisy(_ image: Image, sigma: Double, seed: UInt64 = 5) -> Image {
        var rng = RandomStream(seed: seed, clip: "metrics", stream: "noise")
        var out = image
        for i in out.pixels.indices { out.pixels[i] += Float(rng.normal() * sigma / 255) }
        return out
    }

    static func filled(_ v: Float) -> Image {
        Image(width: 16, height: 16, pixels: [Float](repeating: v, count: 16 * 16 * 3))
    }

    @Test func psnrOfIdenticalFramesIsInfinite() {
        let a = AuditFixtures.texture(width: 32, height: 32)
        #expect(ImageMetrics.psnrY(a, a) == .infinity)
        #expect(ImageMetrics.ssimY(a, a).map { abs($0 - 1) < 1e-12 } == true)
    }

    /// 102 vs 112 in every channel: ΔY = 10·(65.481 + 128.553 + 24.966)/255 = 8.588 ⇒ PSNR = 29.4527 dB.
    @Test func psnrKnownValue() {
        let p = ImageMetrics.psnrY(Self.filled(102 / 255), Self.filled(112 / 255))
        #expect(abs(p - 20 * log10(255 / (10 * 219 / 255.0))) < 1e-9)
        #expect(abs(p - 29.4527) < 1e-3)
    }

    @Test func psnrAndSSIMFallAsNoiseGrows() throws {
        let clean = AuditFixtures.texture(width: 48, height: 48)
        let sigmas = [2.0, 8.0, 20.0]
        let psnr = sigmas.map { ImageMetrics.psnrY(clean, Self.noisy(clean, sigma: $0)) }
        let ssim = try sigmas.map { try #require(ImageMetrics.ssimY(clean, Self.noisy(clean, sigma: $0))) }
        #expect(psnr[0] > psnr[1] && psnr[1] > psnr[2], "\(psnr)")
        #expect(ssim[0] > ssim[1] && ssim[1] > ssim[2] && ssim[0] < 1, "\(ssim)")
    }

    @Test(arguments: [5.0, 12.0])
    func noiseEstimateTracksAddedGaussianNoise(sigma: Double) throws {
        let clean = AuditFixtures.smooth(width: 64, height: 64)
        let estimate = try #require(ImageMetrics.noiseSigma(Self.noisy(clean, sigma: sigma)))
        #expect(abs(estimate - sigma) < 0.2 * sigma, "estimated \(estimate) for σ = \(sigma)")
        let base = try #require(ImageMetrics.noiseSigma(clean))
        #expect(base < 1, "a smooth clean frame reads as nearly noise-free: \(base)")
    }

    @Test func blockinessIsHigherAfterStrongJPEG() throws {
        let image = AuditFixtures.texture(width: 64, height: 64, fine: 0.05)
        let q10 = try #require(ImageMetrics.blockiness(.luma(try JPEGCompression.apply(image, quality: 10))))
        let q95 = try #require(ImageMetrics.blockiness(.luma(try JPEGCompression.apply(image, quality: 95))))
        #expect(q10 > q95, "q10 \(q10), q95 \(q95)")
        #expect(q10 > 1.2)
        #expect(abs(q95 - 1) < 0.2)
    }

    @Test func laplacianVarianceDropsWithBlur() throws {
        let image = AuditFixtures.texture(width: 48, height: 48)
        let kernel = try BlurKernel(shape: .gaussian(sigmaX: 1.5, sigmaY: 1.5, theta: 0), size: 9)
        let blurred = Convolution.apply(kernel, to: image)
        let sharp = try #require(ImageMetrics.laplacianVariance(.luma(image)))
        let soft = try #require(ImageMetrics.laplacianVariance(.luma(blurred)))
        #expect(soft < 0.5 * sharp, "sharp \(sharp), blurred \(soft)")
    }
}
