import Foundation
import Testing
import DegradeOps

@Suite struct SincKernel {
    /// Mean |H(ρ)| over directions, H the kernel's frequency response (DTFT, i.e. the zero-padded DFT's
    /// continuous limit). The kernel is point-symmetric, so H is real: H(u, v) = Σ K(x, y) cos(u x + v y).
    func meanResponse(_ k: BlurKernel, radius rho: Double) -> Double {
        let directions = 24
        var total = 0.0
        for d in 0..<directions {
            let angle = Double(d) * .pi / Double(directions)
            let u = rho * cos(angle), v = rho * sin(angle)
            var h = 0.0
            let c = k.size / 2
            for y in -c...c {
                for x in -c...c { h += Double(tap(k, x, y)) * cos(u * Double(x) + v * Double(y)) }
            }
            total += abs(h)
        }
        return total / Double(directions)
    }

    @Test(arguments: [Double.pi / 2, Double.pi / 3])
    func cutsOffAtOmega(omega: Double) throws {
        let k = try BlurKernel(shape: .sinc(omega: omega), size: 21)
        for fraction in stride(from: 0.0, through: 0.7, by: 0.1) {
            #expect(meanResponse(k, radius: fraction * omega) > 0.8, "pass band at \(fraction)ω")
        }
        for fraction in stride(from: 1.3, through: .pi / omega, by: 0.1) {
            #expect(meanResponse(k, radius: fraction * omega) < 0.2, "stop band at \(fraction)ω")
        }
    }

    @Test func tapsFollowTheAiryProfileWithTheLimitAtTheCentre() throws {
        let omega = 2.0
        let k = try BlurKernel(shape: .sinc(omega: omega), size: 9)
        // Ratios cancel the normalisation: K(r) ∝ ω J1(ω r)/(2π r), K(0) ∝ ω²/(4π).
        let centre = omega * omega / (4 * .pi)
        for (x, y) in [(1, 0), (2, 1), (3, 3), (0, 4)] {
            let r = Double(x * x + y * y).squareRoot()
            let expected = omega * j1(omega * r) / (2 * .pi * r) / centre
            #expect(abs(Double(tap(k, x, y) / tap(k, 0, 0)) - expected) < 1e-6)
        }
        #expect(abs(k.weights.reduce(0, +) - 1) < 1e-5)
    }
}
