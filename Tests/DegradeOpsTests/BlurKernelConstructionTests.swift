import Foundation
import Testing
import DegradeOps

@Suite struct BlurKernelConstruction {
    @Test func padToKeepsSumCentreAndTaps() throws {
        let shape = KernelShape.generalizedGaussian(sigmaX: 1.5, sigmaY: 0.8, theta: 0.3, beta: 0.7)
        let small = try BlurKernel(shape: shape, size: 7)
        let padded = try BlurKernel(shape: shape, size: 7, padTo: 21)
        #expect(padded.size == 21)
        #expect(padded.weights.count == 441)
        #expect(abs(padded.weights.reduce(0, +) - 1) < 1e-5)
        for y in -10...10 {
            for x in -10...10 {
                let inside = abs(x) <= 3 && abs(y) <= 3
                #expect(tap(padded, x, y) == (inside ? tap(small, x, y) : 0))
            }
        }
    }

    @Test func deltaIsOneAtTheCentre() throws {
        let k = try BlurKernel(shape: .delta, size: 5)
        #expect(k.weights.filter { $0 != 0 } == [1])
        #expect(tap(k, 0, 0) == 1)
    }

    @Test(arguments: [
        (KernelShape.delta, 4, nil as Int?),
        (KernelShape.delta, 0, nil),
        (KernelShape.delta, 7, 20),
        (KernelShape.delta, 7, 5),
        (KernelShape.gaussian(sigmaX: 0, sigmaY: 1, theta: 0), 7, nil),
        (KernelShape.gaussian(sigmaX: 1, sigmaY: -2, theta: 0), 7, nil),
        (KernelShape.gaussian(sigmaX: 1, sigmaY: 1, theta: .nan), 7, nil),
        (KernelShape.generalizedGaussian(sigmaX: 1, sigmaY: 1, theta: 0, beta: 0), 7, nil),
        (KernelShape.plateau(sigmaX: 1, sigmaY: 1, theta: 0, beta: -1), 7, nil),
        (KernelShape.sinc(omega: 0), 7, nil),
    ])
    func rejectsInvalidParameters(shape: KernelShape, size: Int, padTo: Int?) {
        #expect(throws: OpError.self) { try BlurKernel(shape: shape, size: size, padTo: padTo) }
    }

    @Test func explicitWeightsMustMatchTheSize() throws {
        #expect(throws: OpError.self) { try BlurKernel(size: 3, weights: [1, 2, 3]) }
        #expect(throws: OpError.self) { try BlurKernel(size: 2, weights: [1, 2, 3, 4]) }
        let k = try BlurKernel(size: 1, weights: [2])
        #expect(k.weights == [2])
    }

    @Test func noiseMultipliesTapsAndRenormalises() throws {
        let k = try BlurKernel(shape: .gaussian(sigmaX: 1.2, sigmaY: 1.2, theta: 0), size: 5)
        let factors = (0..<25).map { Float(0.5 + 0.04 * Double($0)) }
        let noisy = k.multipliedByNoise(factors)
        let raw = zip(k.weights, factors).map { Double($0) * Double($1) }
        let total = raw.reduce(0, +)
        for (got, want) in zip(noisy.weights, raw) { #expect(abs(Double(got) - want / total) < 1e-7) }
        // A constant factor cancels out.
        let same = k.multipliedByNoise([Float](repeating: 3, count: 25))
        for (a, b) in zip(same.weights, k.weights) { #expect(abs(a - b) < 1e-7) }
    }

    @Test func gaussian1DFollowsOpenCV() {
        // σ ≤ 0 ⇒ σ = 0.3·((51−1)·0.5 − 1) + 0.8 = 8.0
        let g = BlurKernel.gaussian1D(size: 51, sigma: 0)
        #expect(g == BlurKernel.gaussian1D(size: 51, sigma: 8))
        #expect(abs(g.reduce(0, +) - 1) < 1e-5)
        for i in 0..<25 { #expect(g[i] == g[50 - i]) }
        for d in [1, 5, 20] {
            let ratio = Double(g[25 + d]) / Double(g[25])
            #expect(abs(ratio - exp(-Double(d * d) / (2 * 64))) < 1e-6)
        }
        // OpenCV's fixed small tables for σ ≤ 0.
        #expect(BlurKernel.gaussian1D(size: 3, sigma: 0) == [0.25, 0.5, 0.25])
        #expect(BlurKernel.gaussian1D(size: 5, sigma: -1) == [0.0625, 0.25, 0.375, 0.25, 0.0625])
        // An explicit σ uses the formula at every size.
        let three = BlurKernel.gaussian1D(size: 3, sigma: 1)
        #expect(abs(Double(three[0] / three[1]) - exp(-0.5)) < 1e-6)
    }
}
