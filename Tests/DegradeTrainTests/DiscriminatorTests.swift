import DegradeTensor
import Foundation
import Testing
@testable import DegradeTrain

@Suite struct DiscriminatorBehaviour {
    func batch(_ n: Int, low: Float, high: Float, seed: UInt64) -> Tensor {
        var g = SplitMix64(seed: seed)
        return Tensor.uniform([n, 3, 8, 8], low: low, high: high, using: &g)
    }

    @Test func shapesNamesAndDeterministicInit() {
        let d = UNetDiscriminator(channels: 4, seed: 3)
        #expect(d(batch(2, low: 0, high: 1, seed: 1)).shape == [2, 1, 8, 8])
        #expect(d.parameters.map(\.name) == ["conv0.weight", "conv0.bias"] + (1...8).map { "conv\($0).weight" } + ["conv9.weight", "conv9.bias"])
        #expect(d.parameters[3].shape == [16, 8, 3, 3])  // conv2: 2C → 4C
        let same = UNetDiscriminator(channels: 4, seed: 3), other = UNetDiscriminator(channels: 4, seed: 4)
        #expect(same.parameters.map { $0.value.scalars } == d.parameters.map { $0.value.scalars })
        #expect(other.parameters[0].value.scalars != d.parameters[0].value.scalars)
    }

    @Test func stateDictRoundTripsAndRefusesMismatches() throws {
        let d = UNetDiscriminator(channels: 2, seed: 1), e = UNetDiscriminator(channels: 2, seed: 2)
        try e.load(d.stateDict())
        #expect(e.parameters.map { $0.value.scalars } == d.parameters.map { $0.value.scalars })
        #expect(throws: SafeTensorsError.self) { try UNetDiscriminator(channels: 3).load(d.stateDict()) }
    }

    @Test func confidentCorrectLogitsCostNothing() {
        let sure = Tensor(shape: [4], repeating: 30)
        #expect(GANLoss.vanilla(sure, targetIsReal: true).scalar < 1e-6)
        #expect(GANLoss.vanilla(-sure, targetIsReal: false).scalar < 1e-6)
        #expect(abs(GANLoss.vanilla(sure, targetIsReal: false).scalar - 30) < 1e-4)  // confidently wrong: ≈ |x|
        #expect(abs(GANLoss.discriminator(real: .zeros([3]), fake: .zeros([3])).scalar - 2 * log(2)) < 1e-6)
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        let d = UNetDiscriminator(channels: 2, seed: 9)
        let x = batch(1, low: 0, high: 1, seed: 2).requiringGradient()
        let loss = { (t: Tensor) in GANLoss.discriminator(real: d(t), fake: d(t * 0.5)) }
        let g = loss(x).backward()
        let analytic = try #require(g[x]).scalars
        #expect(d.parameters.allSatisfy { g[$0] != nil })
        let base = x.scalars
        var num: [Double] = [], ana: [Double] = []
        for j in stride(from: 1, to: base.count, by: 11) {
            var p = base, m = base
            p[j] += 1e-2
            m[j] -= 1e-2
            let up = GradientMode.withoutGradients { loss(Tensor(shape: x.shape, scalars: p)).scalar }
            let down = GradientMode.withoutGradients { loss(Tensor(shape: x.shape, scalars: m)).scalar }
            num.append(Double(up - down) / Double(p[j] - m[j]))
            ana.append(Double(analytic[j]))
        }
        let diff = zip(num, ana).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let norm = num.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(norm > 0 && diff / norm < 0.05)
    }

    @Test func learnsToSeparateBrightFromDark() {
        let d = UNetDiscriminator(channels: 4, seed: 0)
        let adam = Adam(parameters: d.parameters, configuration: .init(learningRate: 1e-2))
        var first: Float = 0, last: Float = 0
        for step in 0..<60 {
            let real = batch(4, low: 0.55, high: 1, seed: UInt64(2 * step)), fake = batch(4, low: 0, high: 0.45, seed: UInt64(2 * step + 1))
            let loss = GANLoss.discriminator(real: d(real), fake: d(fake))
            if step == 0 { first = loss.scalar }
            last = loss.scalar
            adam.step(loss.backward())
        }
        #expect(abs(first - 2 * log(2)) < 0.5)
        #expect(last < first / 5)
        let (realLogits, fakeLogits) = GradientMode.withoutGradients {
            (d(batch(2, low: 0.55, high: 1, seed: 1000)).scalars, d(batch(2, low: 0, high: 0.45, seed: 1001)).scalars)
        }
        #expect(realLogits.allSatisfy { $0 > 0 } && fakeLogits.allSatisfy { $0 < 0 })
    }
}
