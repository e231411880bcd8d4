import Testing
@testable import DegradeRandom

/// The bulk fields compute their elements lane-wise (Philox in 64-bit lanes, the alias sampler's uniform, cell and
/// bucket from bit patterns, Box–Muller on vectors). Each must equal, bit for bit, a plain one-element-at-a-time
/// reference of the documented formula — scalar Philox blocks, scalar Double/Float arithmetic — at ragged starts and
/// counts (heads and tails through the scratch group, whole groups in between).
@Suite struct VectorFieldsMatchScalarReferenceTests {
    static let key = RandomKey(seed: 2024, clip: "vector", stream: "reference")
    static let windows: [(start: Int, count: Int)] = [(0, 1), (1, 15), (3, 17), (16, 16), (7, 33), (250, 129), (1001, 2049)]

    static func philox(_ block: Int, _ w2: UInt32, _ w3: UInt32, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        Philox4x32.block(
            counter: SIMD4(UInt32(truncatingIfNeeded: block), UInt32(truncatingIfNeeded: block >> 32), w2, w3), key: key)
    }

    // MARK: Poisson by alias table

    /// Element e: block e / 2 of counter `(b lo, b hi, 0, 1)` under the Poisson key, words (0, 1) or (2, 3),
    /// `u = ((hi << 32 | lo) >> 11)·2⁻⁵³`, then the table's scalar rule.
    static func poissonReference(_ tables: PoissonLevelTables, level: UInt8, substream: UInt64, element e: Int) -> Float {
        let w = philox(e / 2, 0, 1, key: RandomField.poissonKey(key, substream))
        let lo = w[2 * (e % 2)], hi = w[2 * (e % 2) + 1]
        let u = Double((UInt64(hi) << 32 | UInt64(lo)) >> 11) * 0x1p-53
        return Float(tables.sample(level: Int(level), uniform: u))
    }

    static func poissonField(_ tables: PoissonLevelTables, levels: [UInt8], substream: UInt64, start: Int) -> [Float] {
        var out = [Float](repeating: -1, count: levels.count)
        levels.withUnsafeBufferPointer { l in
            out.withUnsafeMutableBufferPointer {
                RandomField.fillPoisson($0, levels: l, tables: tables, key: key, substream: substream, start: start)
            }
        }
        return out
    }

    /// 256 levels: most of Poisson noise's on 8-bit codes (λ = k/255·256) and a few large λ, in a varied order.
    @Test func poissonFieldMatchesTheScalarRuleAtRaggedWindows() {
        let lambdas = (0..<253).map { Float($0) / 255 * 256 } + [900, 4321.5, 20_000]
        let tables = PoissonLevelTables(lambdas: lambdas)
        func level(_ e: Int) -> UInt8 { UInt8((e &* 151 &+ e / 7) % lambdas.count) }
        for (start, count) in Self.windows {
            let levels = (start..<(start + count)).map(level)
            let field = Self.poissonField(tables, levels: levels, substream: 5, start: start)
            for j in 0..<count {
                let expected = Self.poissonReference(tables, level: levels[j], substream: 5, element: start + j)
                #expect(field[j] == expected, "element \(start + j), level \(levels[j])")
            }
        }
    }

    /// A fraction in its cell's 1/4096 threshold bucket is decided by the exact threshold. Over 24 000 elements the
    /// reference meets that case a few times (this key: checked below); the vector path must agree there too.
    @Test func poissonFieldMatchesTheScalarRuleWhereTheBucketTies() {
        let tables = PoissonLevelTables(lambdas: [3.5, 60, 255])
        let count = 24_000, start = 77
        let levels = (0..<count).map { UInt8($0 % 3) }
        let field = Self.poissonField(tables, levels: levels, substream: 11, start: start)
        let k = RandomField.poissonKey(Self.key, 11)
        var ties = 0
        tables.withPointers { t in
            for j in 0..<count {
                let e = start + j
                let w = Self.philox(e / 2, 0, 1, key: k)
                let u = Double((UInt64(w[2 * (e % 2) + 1]) << 32 | UInt64(w[2 * (e % 2)])) >> 11) * 0x1p-53
                let lv = t.levels[Int(levels[j])]
                let x = u * lv.cellCount
                let cell = Int(x)
                let bucket = Int(t.cells[lv.base + cell] >> PoissonLevelTables.aliasBits)
                if Int((x - Double(cell)) * PoissonLevelTables.bucketCount) == bucket { ties += 1 }
                #expect(field[j] == Float(t.sample(level: Int(levels[j]), uniform: u)), "element \(e)")
            }
        }
        #expect(ties >= 2, "only \(ties) bucket ties: the exact-threshold path was not exercised")
    }

    // MARK: Normal by Box–Muller

    /// Element i: block i / 4 of counter `(b lo, b hi, substream lo, substream hi)`; words (0, 1) give elements
    /// 4b, 4b+1 as `r·cos θ, r·sin θ`, words (2, 3) elements 4b+2, 4b+3, with the polynomials of `BoxMuller`
    /// written out in scalar Float.
    static func normalReference(substream: UInt64, element i: Int) -> Float {
        let w = philox(i / 4, UInt32(truncatingIfNeeded: substream), UInt32(truncatingIfNeeded: substream >> 32), key: key.words)
        let pair = (i % 4) / 2
        let u1 = (Float(Int32(truncatingIfNeeded: w[2 * pair] >> 1)) + 0.5) * 0x1p-31
        let radius = (-2 * scalarLog(u1)).squareRoot()
        let (s, c) = scalarSinCosTurns(Float(Int32(truncatingIfNeeded: w[2 * pair + 1] >> 8)) * 0x1p-24)
        return i % 2 == 0 ? radius * c : radius * s
    }

    static func scalarLog(_ x: Float) -> Float {
        let shifted = Int32(bitPattern: x.bitPattern) &- 0x3F35_04F3
        let exponent = Float(shifted >> 23)
        let mantissa = Float(bitPattern: UInt32(bitPattern: (shifted & 0x007F_FFFF) &+ 0x3F35_04F3))
        let f = mantissa - 1
        let s = f / (2 + f)
        let z = s * s
        var series = z * Float(2.0 / 9) + Float(2.0 / 7)
        series = series * z + Float(2.0 / 5)
        series = series * z + Float(2.0 / 3)
        series = series * z + 2
        return exponent * Float(0.693_147_180_559_945_3) + s * series
    }

    static func scalarSinCosTurns(_ t: Float) -> (sin: Float, cos: Float) {
        let quarters = 4 * t
        let magic = quarters + 0x1p23
        let x = (quarters - (magic - 0x1p23)) * Float(Double.pi / 2)
        let x2 = x * x
        var sinP = x2 * Float(1.0 / 362_880) - Float(1.0 / 5040)
        sinP = sinP * x2 + Float(1.0 / 120)
        sinP = sinP * x2 - Float(1.0 / 6)
        sinP = sinP * x2 + 1
        let sinX = x * sinP
        var cosP = x2 * Float(-1.0 / 3_628_800) + Float(1.0 / 40320)
        cosP = cosP * x2 - Float(1.0 / 720)
        cosP = cosP * x2 + Float(1.0 / 24)
        cosP = cosP * x2 - 0.5
        let cosX = cosP * x2 + 1
        switch magic.bitPattern & 3 {
        case 0: return (sinX, cosX)
        case 1: return (cosX, -sinX)
        case 2: return (-sinX, -cosX)
        default: return (-cosX, sinX)
        }
    }

    @Test func normalFieldMatchesTheScalarFormulaAtRaggedWindows() {
        let substream: UInt64 = 0x1_0000_0003  // both substream words in the counter
        for (start, count) in Self.windows {
            var field = [Float](repeating: .nan, count: count)
            field.withUnsafeMutableBufferPointer {
                RandomField.fillNormal($0, key: Self.key, substream: substream, start: start)
            }
            for j in 0..<count {
                let expected = Self.normalReference(substream: substream, element: start + j)
                #expect(field[j].bitPattern == expected.bitPattern, "element \(start + j): \(field[j]) vs \(expected)")
            }
        }
    }
}
