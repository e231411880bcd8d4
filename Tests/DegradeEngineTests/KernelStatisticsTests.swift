import Foundation
import DegradeMedia
import Testing
@testable import DegradeEngine

/// 20 000 first-order kernels of realesrgan.yaml against the spec (§1, §2): type frequencies, parameter
/// ranges, the β rule, the sinc cut-off rule and the mean covariance.
@Suite struct KernelStatistics {
    @Test func firstOrderBlurMatchesTheSpec() throws {
        let recipe = try RecipeFixtures.bundled("realesrgan")
        guard case let .op(_, .blur(spec)) = recipe.pipeline[0] else { Issue.record("first op is not blur"); return }
        let n = 20_000
        var counts: [KernelType: Int] = [:]
        var sizes: [Int: Int] = [:]
        var plateauBetaOne = 0, plateauCount = 0
        var isoSigma2 = 0.0, isoCount = 0
        var anisoSxx = 0.0, anisoSxy = 0.0, anisoSyy = 0.0, anisoCount = 0
        var genBetaBelowOne = 0, genCount = 0
        var rng = DegradeRandom.RandomStream(seed: 11, clip: "stats", stream: "kernels")
        for _ in 0..<n {
            let plan = BlurSampling.sample(spec, frames: 1, rng: &rng)
            counts[plan.type, default: 0] += 1
            sizes[plan.size, default: 0] += 1
            let p = plan.frames[0]
            switch plan.type {
            case .iso:
                #expect((0.2...3).contains(p.sigmaX) && p.sigmaY == p.sigmaX && p.theta == 0)
                isoSigma2 += p.sigmaX * p.sigmaX; isoCount += 1
            case .aniso:
                #expect((0.2...3).contains(p.sigmaX) && (0.2...3).contains(p.sigmaY) && abs(p.theta) <= .pi)
                let c = cos(p.theta), s = sin(p.theta)
                let a = p.sigmaX * p.sigmaX, b = p.sigmaY * p.sigmaY
                anisoSxx += a * c * c + b * s * s
                anisoSyy += a * s * s + b * c * c
                anisoSxy += (a - b) * c * s
                anisoCount += 1
            case .plateauIso, .plateauAniso:
                let beta = try #require(p.beta)
                #expect((1...2).contains(beta))
                if beta == 1 { plateauBetaOne += 1 }
                plateauCount += 1
            case .generalizedIso, .generalizedAniso:
                let beta = try #require(p.beta)
                #expect((0.5...4).contains(beta))
                if beta < 1 { genBetaBelowOne += 1 }
                genCount += 1
            case .sinc:
                let omega = try #require(p.omega)
                let lower = plan.size < 13 ? Double.pi / 3 : Double.pi / 5
                #expect(omega >= lower && omega <= .pi)
            default:
                Issue.record("unexpected kernel type \(plan.type)")
            }
        }
        // Type frequencies: sinc 0.1, the rest 0.9 × kernel_prob. Tolerance 5 binomial standard deviations.
        let expected: [KernelType: Double] = [.sinc: 0.1, .iso: 0.405, .aniso: 0.225, .generalizedIso: 0.108,
                                              .generalizedAniso: 0.027, .plateauIso: 0.108, .plateauAniso: 0.027]
        for (type, p) in expected {
            let sd = (Double(n) * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[type, default: 0]) - Double(n) * p) < 5 * sd, "\(type): \(counts[type, default: 0])")
        }
        // Sizes uniform over the 8 odd sizes.
        #expect(Set(sizes.keys) == [7, 9, 11, 13, 15, 17, 19, 21])
        for (_, c) in sizes { #expect(abs(Double(c) - Double(n) / 8) < 5 * (Double(n) / 8 * 7 / 8).squareRoot()) }
        // Plateau [1, 2]: β is exactly 1 half the time; generalized [0.5, 4]: β < 1 half the time.
        #expect(abs(Double(plateauBetaOne) / Double(plateauCount) - 0.5) < 5 * (0.25 / Double(plateauCount)).squareRoot())
        #expect(abs(Double(genBetaBelowOne) / Double(genCount) - 0.5) < 5 * (0.25 / Double(genCount)).squareRoot())
        // E[σ²] for σ ~ U(0.2, 3) is (3³ − 0.2³) / (3 · 2.8) = 3.2133…; mean aniso covariance is that × I.
        let es2 = (27 - 0.008) / 8.4
        #expect(abs(isoSigma2 / Double(isoCount) - es2) < 0.06)
        #expect(abs(anisoSxx / Double(anisoCount) - es2) < 0.08)
        #expect(abs(anisoSyy / Double(anisoCount) - es2) < 0.08)
        #expect(abs(anisoSxy / Double(anisoCount)) < 0.05)
    }
}

import DegradeRandom
