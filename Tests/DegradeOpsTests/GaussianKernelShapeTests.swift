import Foundation
import Testing
import DegradeOps

/// Tap at offset (x, y) from the centre (x = column, y = row).
func tap(_ k: BlurKernel, _ x: Int, _ y: Int) -> Float {
    let c = k.size / 2
    return k.weights[(y + c) * k.size + x + c]
}

@Suite struct GaussianKernelShape {
    @Test(arguments: [(3.0, 2.0, 0.6), (2.0, 2.8, -1.1), (2.5, 2.5, 0.3)])
    func secondMomentsEqualCovariance(sx: Double, sy: Double, theta: Double) throws {
        let k = try BlurKernel(shape: .gaussian(sigmaX: sx, sigmaY: sy, theta: theta), size: 51)
        var sum = 0.0, xx = 0.0, xy = 0.0, yy = 0.0
        for y in -25...25 {
            for x in -25...25 {
                let w = Double(tap(k, x, y))
                sum += w; xx += w * Double(x * x); xy += w * Double(x * y); yy += w * Double(y * y)
            }
        }
        // Σ = R(θ) diag(σx², σy²) R(θ)ᵀ
        let c = cos(theta), s = sin(theta)
        let sxx = c * c * sx * sx + s * s * sy * sy
        let sxy = c * s * (sx * sx - sy * sy)
        let syy = s * s * sx * sx + c * c * sy * sy
        #expect(abs(sum - 1) < 1e-5)
        #expect(abs(xx - sxx) < 0.01 * sxx)
        #expect(abs(yy - syy) < 0.01 * syy)
        #expect(abs(xy - sxy) < 0.01 * max(abs(sxy), 0.01 * (sxx + syy)))
    }

    @Test func isPointSymmetric() throws {
        let k = try BlurKernel(shape: .gaussian(sigmaX: 3, sigmaY: 1.2, theta: 0.7), size: 21)
        for y in -10...10 {
            for x in -10...10 { #expect(tap(k, x, y) == tap(k, -x, -y)) }
        }
    }

    @Test func thetaRotatesTheLongAxisFromXTowardsY() throws {
        // R(θ) maps the x axis onto (cos θ, sin θ): at θ = π/4 the long axis is the x = y diagonal.
        let k = try BlurKernel(shape: .gaussian(sigmaX: 3, sigmaY: 1, theta: .pi / 4), size: 15)
        #expect(tap(k, 3, 3) > 10 * tap(k, 3, -3))
        // A quarter turn swaps the roles of σx and σy.
        let turned = try BlurKernel(shape: .gaussian(sigmaX: 3, sigmaY: 1.5, theta: .pi / 2), size: 15)
        let swapped = try BlurKernel(shape: .gaussian(sigmaX: 1.5, sigmaY: 3, theta: 0), size: 15)
        for (a, b) in zip(turned.weights, swapped.weights) { #expect(abs(a - b) < 1e-7) }
    }

    @Test func isotropicKernelsIgnoreTheta() throws {
        let shapes: [(Double) -> KernelShape] = [
            { .gaussian(sigmaX: 2.2, sigmaY: 2.2, theta: $0) },
            { .generalizedGaussian(sigmaX: 1.7, sigmaY: 1.7, theta: $0, beta: 0.6) },
            { .plateau(sigmaX: 2.5, sigmaY: 2.5, theta: $0, beta: 1.5) },
        ]
        for shape in shapes {
            let reference = try BlurKernel(shape: shape(0), size: 13)
            for theta in [0.4, 1.3, -2.9] {
                #expect(try BlurKernel(shape: shape(theta), size: 13) == reference)
            }
        }
    }

    @Test func generalizedWithBetaOneIsTheGaussian() throws {
        let g = try BlurKernel(shape: .gaussian(sigmaX: 2.4, sigmaY: 1.3, theta: 0.9), size: 21)
        let gg = try BlurKernel(shape: .generalizedGaussian(sigmaX: 2.4, sigmaY: 1.3, theta: 0.9, beta: 1), size: 21)
        for (a, b) in zip(g.weights, gg.weights) { #expect(abs(a - b) < 1e-7) }
    }

    @Test func generalizedBetaControlsTheTails() throws {
        // Same σ: β < 1 keeps more weight far from the centre than the Gaussian, β > 1 less.
        func far(_ beta: Double) throws -> Float {
            let k = try BlurKernel(shape: .generalizedGaussian(sigmaX: 2, sigmaY: 2, theta: 0, beta: beta), size: 21)
            return tap(k, 6, 0) / tap(k, 0, 0)
        }
        #expect(try far(0.5) > far(1))
        #expect(try far(1) > far(2))
    }

    @Test func plateauFollowsItsProfileAndDecaysWithRadius() throws {
        let sigma = 2.0, beta = 1.5
        let k = try BlurKernel(shape: .plateau(sigmaX: sigma, sigmaY: sigma, theta: 0, beta: beta), size: 21)
        // Ratios to the centre cancel the normalisation: K(p)/K(0) = 1/(q^β + 1), q = r²/σ².
        for (x, y) in [(1, 0), (3, 4), (7, 2), (10, 10)] {
            let q = Double(x * x + y * y) / (sigma * sigma)
            let expected = 1 / (pow(q, beta) + 1)
            #expect(abs(Double(tap(k, x, y) / tap(k, 0, 0)) - expected) < 1e-6)
        }
        // Monotone in r: sorting taps by radius gives non-increasing weights.
        var byRadius: [(Int, Float)] = []
        for y in -10...10 { for x in -10...10 { byRadius.append((x * x + y * y, tap(k, x, y))) } }
        byRadius.sort { $0.0 < $1.0 }
        for (a, b) in zip(byRadius, byRadius.dropFirst()) where a.0 < b.0 {
            #expect(a.1 >= b.1)
        }
        #expect(abs(k.weights.reduce(0, +) - 1) < 1e-5)
    }
}
