import Foundation
import Testing
@testable import DegradeRandom

/// The table-inversion Poisson sampler: right distribution, exact CDF tables, chunking-invariant fields.
@Suite struct PoissonTableTests {
    static let key = RandomKey(seed: 78, clip: "table", stream: "test")

    /// `count` samples of level `level` from a table set, in one call.
    static func samples(_ tables: PoissonLevelTables, level: UInt8, count: Int, start: Int = 0, substream: UInt64 = 0) -> [Float] {
        let levels = [UInt8](repeating: level, count: count)
        var out = [Float](repeating: -1, count: count)
        levels.withUnsafeBufferPointer { l in
            out.withUnsafeMutableBufferPointer { o in
                RandomField.fillPoisson(o, levels: l, tables: tables, key: Self.key, substream: substream, start: start)
            }
        }
        return out
    }

    @Test(arguments: [0.5, 3, 9.9, 10, 40, 128, 256])
    func samplesFitThePoissonPMF(_ lambda: Double) {
        let tables = PoissonLevelTables(lambdas: [0, Float(lambda)])
        let xs = Self.samples(tables, level: 1, count: 30_000, substream: 9).map { Int($0) }
        let (chi2, df) = Stats.chiSquare(xs) { Stats.poissonPMF($0, lambda) }
        #expect(chi2 < Stats.chiSquareCritical(df), "χ² = \(chi2), df = \(df)")
        let m = Stats.meanAndVariance(xs.map(Double.init))
        #expect(abs(m.mean - lambda) < 5 * (lambda / Double(m.count)).squareRoot())
    }

    @Test func pmfTableMatchesThePMF() {
        for lambda in [0.7, 25.0, 256.0] {
            let pmf = PoissonLevelTables.pmf(lambda: lambda)
            for k in 0..<(pmf.count - 1) {
                let exact = Stats.poissonPMF(k, lambda)
                #expect(abs(pmf[k] - exact) <= 1e-9 * exact, "λ = \(lambda), k = \(k)")
            }
            #expect(abs(pmf.reduce(0, +) - 1) < 1e-12)
            #expect(Double(pmf.count) > lambda + 5 * lambda.squareRoot())  // the table reaches far into the tail
        }
        #expect(PoissonLevelTables.pmf(lambda: 0) == [1])
    }

    /// Each alias cell splits its 1/n of probability between itself and its alias; summed, that gives back the pmf.
    @Test func aliasTableReproducesItsWeights() {
        let weights = PoissonLevelTables.pmf(lambda: 12.5)
        let (threshold, alias) = PoissonLevelTables.aliasTable(weights)
        let n = Double(weights.count)
        var mass = [Double](repeating: 0, count: weights.count)
        for i in weights.indices {
            mass[i] += min(threshold[i], 1) / n
            mass[Int(alias[i])] += (1 - min(threshold[i], 1)) / n
        }
        for i in weights.indices { #expect(abs(mass[i] - weights[i]) < 1e-14, "k = \(i)") }
    }

    /// The 32-bit cells decide by the threshold's 1/4096 bucket and fall back to the exact threshold only in the
    /// bucket itself: the result equals the plain alias rule (fraction < threshold ? cell : alias) for every
    /// uniform, including those whose fraction lands on, just below or just above a threshold or a bucket edge.
    @Test(arguments: [0.0, 0.3, 5, 12.5, 99.6, 256, 5000])
    func compactCellsGiveThePlainAliasRule(_ lambda: Double) {
        let tables = PoissonLevelTables(lambdas: [1, Float(lambda)])
        let (threshold, alias) = PoissonLevelTables.aliasTable(PoissonLevelTables.pmf(lambda: Double(Float(lambda))))
        let n = Double(threshold.count)
        func plain(_ u: Double) -> Int {
            let x = u * n
            let i = Int(x)
            return x - Double(i) < threshold[i] ? i : Int(alias[i])
        }
        var uniforms: [Double] = []
        let cells = threshold.count > 600 ? Array(Swift.stride(from: 0, to: threshold.count, by: 7)) : Array(threshold.indices)
        for i in cells {
            let t = min(max(threshold[i], 0), 1)
            let edge = (t * 4096).rounded(.down) / 4096
            for f in [t, t.nextDown, t.nextUp, edge, edge.nextDown, edge.nextUp, edge + 1.0 / 4096, 0, 0.5] {
                let u = (Double(i) + f) / n
                for v in [u.nextDown, u, u.nextUp] where v >= 0 && v < 1 { uniforms.append(v) }
            }
        }
        var ties = 0
        for u in uniforms {
            let x = u * n
            let i = Int(x)
            if Int((x - Double(i)) * 4096) == Int(PoissonLevelTables.bucket(threshold[i])) { ties += 1 }
            #expect(tables.sample(level: 1, uniform: u) == plain(u), "λ = \(lambda), u = \(u)")
        }
        #expect(ties > uniforms.count / 4)  // most probes reach the exact-threshold path
    }

    @Test func levelZeroWithLambdaZeroGivesZero() {
        let tables = PoissonLevelTables(lambdas: [0, 5])
        #expect(Self.samples(tables, level: 0, count: 100).allSatisfy { $0 == 0 })
    }

    /// Element values depend only on their index: any split into calls, at any offset, gives the same values.
    @Test func splittingTheFieldDoesNotChangeIt() {
        let tables = PoissonLevelTables(lambdas: (0..<256).map { Float($0) })
        let levels = (0..<101).map { UInt8(($0 * 37) % 256) }
        func fill(_ range: Range<Int>) -> [Float] {
            var out = [Float](repeating: -1, count: range.count)
            Array(levels[range]).withUnsafeBufferPointer { l in
                out.withUnsafeMutableBufferPointer { o in
                    RandomField.fillPoisson(o, levels: l, tables: tables, key: Self.key, substream: 4, start: 1000 + range.lowerBound)
                }
            }
            return out
        }
        let whole = fill(0..<101)
        #expect(fill(0..<33) + fill(33..<34) + fill(34..<101) == whole)
        #expect(fill(1..<2) == [whole[1]])
        #expect(Set(whole).count > 20)
    }
}
