import Testing
@testable import DegradeRandom

/// The bulk fields number their Philox blocks with 64-bit counters split into 32-bit words, eight blocks at a time;
/// where the low word wraps inside a group of eight, the high word must carry. Checked against one block at a time.
@Suite struct BlockCounterCarryTests {
    static let key = RandomKey(seed: 5, clip: "carry", stream: "test")

    @Test func blockWordsCarryWhereTheLowWordWraps() {
        for first: UInt64 in [0, 41, (1 << 32) - 8, (1 << 32) - 7, (1 << 32) - 3, (3 << 32) - 1, 5 << 32] {
            let (lo, hi) = RandomField.blockWords(first)
            for lane in 0..<8 {
                let block = first + UInt64(lane)
                #expect(lo[lane] == UInt32(truncatingIfNeeded: block) && hi[lane] == UInt32(block >> 32),
                        "block \(block)")
            }
        }
    }

    /// A uniform field straddling block 2³²: element i is word i % 4 of block i / 4, `(w >> 8)·2⁻²⁴`.
    @Test func uniformFieldAcrossTheWrapMatchesSingleBlocks() {
        let start = ((1 << 32) - 3) * 4 + 1
        var out = [Float](repeating: -1, count: 40)
        out.withUnsafeMutableBufferPointer { RandomField.fillUniform($0, key: Self.key, substream: 7, start: start) }
        for (j, value) in out.enumerated() {
            let i = UInt64(start + j), block = i / 4
            let w = Philox4x32.block(
                counter: SIMD4(UInt32(truncatingIfNeeded: block), UInt32(block >> 32), 7, 0), key: Self.key.words)
            #expect(value == Float(w[Int(i % 4)] >> 8) * 0x1p-24, "element \(i)")
        }
    }

    /// Poisson samples straddling block 2³²: element e takes words (0, 1) or (2, 3) of block e / 2, counter ending (0, 1).
    @Test func poissonFieldAcrossTheWrapMatchesSingleBlocks() {
        let tables = PoissonLevelTables(lambdas: [3, 200])
        let start = ((1 << 32) - 5) * 2 + 1
        let levels = (0..<36).map { UInt8($0 % 2) }
        var out = [Float](repeating: -1, count: levels.count)
        levels.withUnsafeBufferPointer { l in
            out.withUnsafeMutableBufferPointer {
                RandomField.fillPoisson($0, levels: l, tables: tables, key: Self.key, substream: 2, start: start)
            }
        }
        let k = RandomField.poissonKey(Self.key, 2)
        for (j, value) in out.enumerated() {
            let e = UInt64(start + j), block = e / 2
            let w = Philox4x32.block(counter: SIMD4(UInt32(truncatingIfNeeded: block), UInt32(block >> 32), 0, 1), key: k)
            let word = Int(e % 2) * 2
            let u = Double((UInt64(w[word + 1]) << 32 | UInt64(w[word])) >> 11) * 0x1p-53
            #expect(value == Float(tables.sample(level: Int(levels[j]), uniform: u)), "element \(e)")
        }
    }
}
