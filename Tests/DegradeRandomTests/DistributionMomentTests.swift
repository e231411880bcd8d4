import Foundation
import Testing
@testable import DegradeRandom

/// Sample mean and variance within 5 standard errors of the exact values.
@Suite struct DistributionMomentTests {
    static let key = RandomKey(seed: 2024, clip: "moments", stream: "test")

    static func expectMoments(_ xs: [Double], mean: Double, variance: Double, fourthCentral: Double,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let (m, v, n) = Stats.meanAndVariance(xs)
        let seMean = (variance / Double(n)).squareRoot()
        let seVar = ((fourthCentral - variance * variance) / Double(n)).squareRoot()
        #expect(abs(m - mean) < 5 * seMean, "mean \(m) vs \(mean)", sourceLocation: sourceLocation)
        #expect(abs(v - variance) < 5 * seVar, "variance \(v) vs \(variance)", sourceLocation: sourceLocation)
    }

    @Test func uniformStreamAndField() {
        var s = RandomStream(key: Self.key)
        let xs = (0..<50_000).map { _ in s.uniform() }
        #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        Self.expectMoments(xs, mean: 0.5, variance: 1.0 / 12, fourthCentral: 1.0 / 80)
        let field = FieldKind.uniform.fill(count: 50_000, start: 0, key: Self.key, substream: 0)
        #expect(field.allSatisfy { $0 >= 0 && $0 < 1 })
        Self.expectMoments(field.map(Double.init), mean: 0.5, variance: 1.0 / 12, fourthCentral: 1.0 / 80)
    }

    @Test func normalStreamAndField() {
        var s = RandomStream(key: Self.key)
        Self.expectMoments((0..<50_000).map { _ in s.normal() }, mean: 0, variance: 1, fourthCentral: 3)
        let field = FieldKind.normal.fill(count: 50_000, start: 0, key: Self.key, substream: 1)
        Self.expectMoments(field.map(Double.init), mean: 0, variance: 1, fourthCentral: 3)
    }

    /// Both branches (inversion below 10, PTRS from 10) and both sides of the switch.
    @Test(arguments: [0.5, 3, 9.9, 10, 30, 200, 5000])
    func poissonStreamAndField(_ lambda: Double) {
        let fourth = lambda * (1 + 3 * lambda)  // central fourth moment of Poisson(λ)
        var s = RandomStream(key: Self.key.derived("\(lambda)"))
        let xs = (0..<20_000).map { _ in Double(s.poisson(lambda)) }
        Self.expectMoments(xs, mean: lambda, variance: lambda, fourthCentral: fourth)
        let field = FieldKind.poissonFill([Float](repeating: Float(lambda), count: 20_000), start: 0,
                                          key: Self.key, substream: UInt64(lambda * 10))
        #expect(field.allSatisfy { $0 >= 0 && $0 == $0.rounded() })
        Self.expectMoments(field.map(Double.init), mean: lambda, variance: lambda, fourthCentral: fourth)
    }

    @Test func poissonOfZeroIsZero() {
        var s = RandomStream(key: Self.key)
        #expect(s.poisson(0) == 0)
        #expect(RandomField.poisson(lambda: 0, key: Self.key, substream: 0, element: 7) == 0)
    }
}
