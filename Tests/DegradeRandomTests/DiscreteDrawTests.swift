import Testing
@testable import DegradeRandom

/// Integer, odd-integer, weighted-choice, permutation and Bernoulli draws: support and frequencies.
@Suite struct DiscreteDrawTests {
    static let key = RandomKey(seed: 5, clip: "draws", stream: "test")

    /// Pearson χ² of observed counts against expected probabilities.
    static func chiSquare(_ counts: [Int], _ probabilities: [Double]) -> Double {
        let n = Double(counts.reduce(0, +))
        return zip(counts, probabilities).reduce(0) { acc, cp in
            let e = n * cp.1
            return acc + (Double(cp.0) - e) * (Double(cp.0) - e) / e
        }
    }

    @Test func intIsUniformOverTheRange() {
        var s = RandomStream(key: Self.key)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<35_000 { counts[s.int(in: -3...3) + 3] += 1 }
        #expect(Self.chiSquare(counts, [Double](repeating: 1.0 / 7, count: 7)) < Stats.chiSquareCritical(6))
    }

    @Test func intEdgeRanges() {
        var s = RandomStream(key: Self.key.derived("edges"))
        #expect((0..<100).allSatisfy { _ in s.int(in: 5...5) == 5 })
        let full = (0..<200).map { _ in s.int(in: Int.min...Int.max) }
        #expect(full.contains { $0 < 0 } && full.contains { $0 > 0 })
        // A span that is not a power of two and near 2⁶³: rejection matters; the mean must sit in the middle.
        let hi = Int.max / 3 * 2
        let xs = (0..<20_000).map { _ in Double(s.int(in: 0...hi)) / Double(hi) }
        #expect(xs.allSatisfy { $0 >= 0 && $0 <= 1 })
        let (m, _, _) = Stats.meanAndVariance(xs)
        #expect(abs(m - 0.5) < 5 * (1.0 / 12 / 20_000).squareRoot())
    }

    @Test func oddIntCoversOnlyOddValuesUniformly() {
        var s = RandomStream(key: Self.key.derived("odd"))
        var counts = [Int: Int]()
        for _ in 0..<16_000 { counts[s.oddInt(in: 7...21), default: 0] += 1 }
        #expect(counts.keys.sorted() == [7, 9, 11, 13, 15, 17, 19, 21])
        let observed = [7, 9, 11, 13, 15, 17, 19, 21].map { counts[$0]! }
        #expect(Self.chiSquare(observed, [Double](repeating: 1.0 / 8, count: 8)) < Stats.chiSquareCritical(7))
        #expect(Set((0..<200).map { _ in s.oddInt(in: 6...10) }) == [7, 9])
        #expect(Set((0..<200).map { _ in s.oddInt(in: -5 ... -1) }) == [-5, -3, -1])
        #expect((0..<20).allSatisfy { _ in s.oddInt(in: 8...9) == 9 })
    }

    @Test func choiceFollowsTheWeights() {
        var s = RandomStream(key: Self.key.derived("choice"))
        // Real-ESRGAN's kernel_prob with a zero weight inserted; weights need not sum to 1.
        let weights = [0.45, 0.25, 0, 0.12, 0.03, 0.12, 0.03].map { $0 * 2 }
        var counts = [Int](repeating: 0, count: weights.count)
        for _ in 0..<40_000 { counts[s.choice(weights: weights)] += 1 }
        #expect(counts[2] == 0)
        let total = weights.reduce(0, +)
        let nonZero = weights.indices.filter { weights[$0] > 0 }
        let chi2 = Self.chiSquare(nonZero.map { counts[$0] }, nonZero.map { weights[$0] / total })
        #expect(chi2 < Stats.chiSquareCritical(nonZero.count - 1), "counts \(counts)")
        #expect((0..<50).allSatisfy { _ in s.choice(weights: [0, 0, 3]) == 2 })
    }

    @Test func permutationIsUniform() {
        var s = RandomStream(key: Self.key.derived("perm"))
        var counts = [[Int]: Int]()
        for _ in 0..<24_000 { counts[s.permutation(4), default: 0] += 1 }
        #expect(counts.count == 24)
        #expect(Self.chiSquare(Array(counts.values), [Double](repeating: 1.0 / 24, count: 24))
                < Stats.chiSquareCritical(23))
        #expect(s.permutation(0) == [])
        #expect(s.permutation(1) == [0])
        #expect(s.permutation(50).sorted() == Array(0..<50))
    }

    @Test func bernoulliRate() {
        var s = RandomStream(key: Self.key.derived("bern"))
        let n = 40_000
        let hits = (0..<n).filter { _ in s.bernoulli(0.3) }.count
        #expect(abs(Double(hits) / Double(n) - 0.3) < 5 * (0.3 * 0.7 / Double(n)).squareRoot())
        #expect((0..<100).allSatisfy { _ in !s.bernoulli(0) && s.bernoulli(1) })
    }
}
