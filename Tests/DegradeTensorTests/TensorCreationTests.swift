import Foundation
import Testing
@testable import DegradeTensor

extension TensorTests {
    /// Construction, element access and seeded random initialisers.
    @Suite struct TensorCreationTests {
        @Test func constructorsFillAsDocumented() {
            let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
            #expect(t.count == 6 && t.rank == 2 && !t.requiresGradient)
            #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
            #expect(Tensor.ones([3]).scalars == [1, 1, 1])
            #expect(Tensor(2.5).shape == [] && Tensor(2.5).scalar == 2.5)
            let filled = Tensor(shape: [4]) { buffer in for i in buffer.indices { buffer[i] = Float(i * i) } }
            #expect(filled.scalars == [0, 1, 4, 9])
            #expect(t.copy().scalars == t.scalars)
            #expect(t.requiringGradient().requiresGradient && !t.requiringGradient().detached().requiresGradient)
        }

        @Test func parameterAssignCopiesValues() {
            let source = Tensor(shape: [2], scalars: [1, 2])
            let p = Parameter(source, name: "p")
            p.assign(Tensor(shape: [2], scalars: [3, 4]))
            #expect(p.value.scalars == [3, 4])
            #expect(source.scalars == [1, 2])
        }

        @Test func splitMixMatchesTheReferenceSequence() {
            // Published SplitMix64 outputs for seed 0.
            var g = SplitMix64(seed: 0)
            #expect([g.next(), g.next(), g.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        }

        @Test func randomTensorsAreReproducibleAndWellDistributed() {
            var g1 = SplitMix64(seed: 5), g2 = SplitMix64(seed: 5)
            let u = Tensor.uniform([4000], low: -2, high: 3, using: &g1)
            #expect(u.scalars == Tensor.uniform([4000], low: -2, high: 3, using: &g2).scalars)
            #expect(u.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
            let uMean = u.scalars.reduce(0.0) { $0 + Double($1) } / 4000
            #expect(abs(uMean - 0.5) < 0.1)  // σ of the mean ≈ 0.023

            let n = Tensor.normal([4001], mean: 1, standardDeviation: 2, using: &g1).scalars.map(Double.init)
            let mean = n.reduce(0, +) / Double(n.count)
            let sd = (n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n.count)).squareRoot()
            #expect(abs(mean - 1) < 0.15 && abs(sd - 2) < 0.15)
        }
    }
}
