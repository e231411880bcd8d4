import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

@Suite struct SpectralNormalization {
    func weight(_ seed: UInt64) -> Tensor {
        var g = SplitMix64(seed: seed)
        return Tensor.uniform([6, 2, 3, 3], low: -1, high: 1, using: &g)
    }

    /// Largest singular value of a [rows, cols] matrix by 500 power iterations in Double (independent of the code).
    func topSingularValue(_ w: [Float], rows: Int, cols: Int) -> Double {
        var v = [Double](repeating: 1, count: cols)
        var s = 0.0
        for _ in 0..<500 {
            var u = [Double](repeating: 0, count: rows)
            for i in 0..<rows { for j in 0..<cols { u[i] += Double(w[i * cols + j]) * v[j] } }
            var nv = [Double](repeating: 0, count: cols)
            for i in 0..<rows { for j in 0..<cols { nv[j] += Double(w[i * cols + j]) * u[i] } }
            let norm = nv.map { $0 * $0 }.reduce(0, +).squareRoot()
            s = norm.squareRoot()  // ‖WᵀW v‖ → σ² for unit v
            v = nv.map { $0 / norm }
        }
        return s
    }

    @Test func estimateConvergesAndNormalisedWeightHasUnitSpectralNorm() {
        var g = SplitMix64(seed: 1)
        let w = weight(2)
        let sn = SpectralNorm(weight: w, name: "conv1", using: &g)
        for _ in 0..<60 { sn.powerIteration() }
        let truth = topSingularValue(w.scalars, rows: 6, cols: 18)
        #expect(abs(Double(sn.sigma) - truth) / truth < 1e-3)
        let normalized = GradientMode.withoutGradients { sn.normalizedWeight() }
        #expect(abs(topSingularValue(normalized.scalars, rows: 6, cols: 18) - 1) < 2e-3)
        #expect([sn.weight.name, sn.u.name, sn.v.name] == ["conv1.weight_orig", "conv1.weight_u", "conv1.weight_v"])
        #expect(!sn.u.isTrainable && sn.v.shape == [18])
    }

    @Test func onlyTrainingPassesAdvanceThePowerIteration() {
        var g = SplitMix64(seed: 1)
        let sn = SpectralNorm(weight: weight(3), name: "c", using: &g)
        let before = sn.u.value.scalars
        _ = GradientMode.withoutGradients { sn.normalizedWeight() }
        #expect(sn.u.value.scalars == before)
        _ = sn.normalizedWeight()
        #expect(sn.u.value.scalars != before)
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        var g = SplitMix64(seed: 4)
        let sn = SpectralNorm(weight: weight(5), name: "c", using: &g)
        var rg = SplitMix64(seed: 6)
        let r = Tensor.uniform([6, 2, 3, 3], low: -1, high: 1, using: &rg)
        let analytic = try #require((sn.normalizedWeight() * r).sum().backward()[sn.weight]).scalars
        let base = sn.weight.value.scalars
        var worst = 0.0
        for j in stride(from: 0, to: base.count, by: 7) {
            func objective(_ delta: Float) -> Double {
                var w = base
                w[j] += delta
                sn.weight.assign(Tensor(shape: [6, 2, 3, 3], scalars: w))
                return Double(GradientMode.withoutGradients { (sn.normalizedWeight() * r).sum() }.scalar)
            }
            let numeric = (objective(1e-2) - objective(-1e-2)) / 2e-2
            worst = max(worst, abs(numeric - Double(analytic[j])) / (1 + abs(numeric)))
        }
        sn.weight.assign(Tensor(shape: [6, 2, 3, 3], scalars: base))
        #expect(worst < 1e-2)
    }

    @Test func discriminatorWithSpectralNormTrainsAndSavesItsBuffers() throws {
        let d = UNetDiscriminator(channels: 2, spectralNorm: true, seed: 1)
        var g = SplitMix64(seed: 2)
        let x = Tensor.uniform([1, 3, 8, 8], using: &g)
        let grads = GANLoss.generator(fake: d(x)).backward()
        #expect(d.parameters.map(\.name).contains("conv4.weight_orig"))
        #expect(d.parameters.allSatisfy { grads[$0] != nil })
        let state = d.stateDict()
        #expect(state.tensors["conv8.weight_u"]?.shape == [2] && state.tensors["conv1.weight"] == nil)
        let e = UNetDiscriminator(channels: 2, spectralNorm: true, seed: 9)
        try e.load(state)
        #expect(GradientMode.withoutGradients { e(x).scalars == d(x).scalars })
    }
}
