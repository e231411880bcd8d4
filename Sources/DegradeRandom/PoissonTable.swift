import Foundation

/// Exact Poisson sampling by table, for images whose λ takes few values (Poisson noise on 8-bit levels: at most
/// 256 λ per frame).
///
/// For each λ the pmf `p_k` is tabulated in Double for k = 0…K (recurrence `p₀ = e^{−λ}`, `p_k = p_{k−1}·λ/k`, up to
/// the first k ≥ λ where the CDF no longer changes in Double: the tail beyond is below its resolution and joins
/// `p_K`), and turned into a Walker alias table (Vose's construction): n = K + 1 cells, cell i keeps value i with
/// probability `threshold[i]` and otherwise gives `alias[i]`. One 53-bit uniform u picks the cell, `x = u·n`,
/// `i = ⌊x⌋`, and its fraction `x − i` decides: constant time, no data-dependent loop. So the samples follow
/// Poisson(λ) to Double precision, like the rejection sampler (`PoissonSampler`), at a fraction of its cost; the two
/// give different values for the same key.
public struct PoissonLevelTables: Sendable {
    /// A level in one 64-bit word: the cell count n as a Double (n < 2²⁰, so the low 32 bits of its bit pattern are
    /// zero) with the index of the level's first cell in `cells` in those low bits. A sample reads both with one
    /// load, and the 8-lane sampler gathers one word per lane instead of two.
    struct Level: Sendable {
        let word: UInt64

        init(cellCount: Int, base: Int) {
            let n = Double(cellCount).bitPattern
            precondition(n & 0xFFFF_FFFF == 0 && base >= 0 && base < 1 << 32, "PoissonLevelTables: \(cellCount) cells at \(base)")
            word = n | UInt64(base)
        }

        /// The count's bits alone, as the lane-wise form: `n` with the base masked off.
        @inline(__always) var cellCount: Double { Double(bitPattern: word & 0xFFFF_FFFF_0000_0000) }
        @inline(__always) var base: Int { Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: word)) }
    }

    /// One alias cell in 32 bits: the alias (< 2²⁰) in the low bits and, above it, the threshold's bucket
    /// `⌊threshold·4096⌋` (clamped to 0…4095). A fraction in another bucket is decided by the bucket alone; only one
    /// in its bucket (1 in 4096 on average) reads the exact threshold. So a sample touches 4 bytes instead of the
    /// 16 of a (Double, alias) pair, and 256 levels' tables (about 58 000 cells at λ ≤ 256) fit the L2 cache — the
    /// 16-byte cells spanned 0.9 MB and most samples missed it — with the same result for every uniform.
    let cells: [UInt32]
    /// Exact thresholds, same indices as `cells`.
    let thresholds: [Double]
    let levels: [Level]

    static let aliasBits: UInt32 = 20
    static let bucketCount = 4096.0

    /// Tables for `lambdas[l]`, l = 0…lambdas.count−1; each λ must be finite, ≥ 0 and ≤ 10⁵.
    public init(lambdas: [Float]) {
        var cells: [UInt32] = [], thresholds: [Double] = [], levels: [Level] = []
        for l in lambdas {
            precondition(l >= 0 && l.isFinite && l <= 1e5, "PoissonLevelTables: λ must be finite and within 0…1e5, got \(l)")
            let (t, a) = Self.aliasTable(Self.pmf(lambda: Double(l)))
            // λ ≤ 1e5 keeps every table far below 2²⁰ cells, so an alias fits its field (and 256 levels' cells
            // stay far below 2³², the base's field).
            precondition(t.count < 1 << Self.aliasBits, "PoissonLevelTables: \(t.count) cells for λ = \(l)")
            levels.append(Level(cellCount: t.count, base: cells.count))
            cells += zip(t, a).map { threshold, alias in Self.bucket(threshold) << Self.aliasBits | UInt32(alias) }
            thresholds += t
        }
        self.cells = cells
        self.thresholds = thresholds
        self.levels = levels
    }

    /// `⌊threshold·4096⌋` clamped to 0…4095: for a fraction f in [0, 1) with bucket `⌊f·4096⌋` below it, f < threshold;
    /// above it, f ≥ threshold (a threshold of 1 or more is clamped to the last bucket, one below 0 to the first, and
    /// the comparison still holds).
    static func bucket(_ threshold: Double) -> UInt32 {
        UInt32(min(max((threshold * bucketCount).rounded(.down), 0), bucketCount - 1))
    }

    public var levelCount: Int { levels.count }

    /// `p₀…p_K`, summing to 1 up to rounding; the tail beyond K (below Double resolution of the CDF) is added to p_K.
    static func pmf(lambda: Double) -> [Double] {
        if lambda == 0 { return [1] }
        var out: [Double] = []
        var p = exp(-lambda)
        var cdf = p
        var k = 0.0
        out.append(p)
        while true {
            k += 1
            p *= lambda / k
            let next = cdf + p
            if next == cdf && k >= lambda { break }
            cdf = next
            out.append(p)
        }
        out[out.count - 1] += max(0, 1 - cdf)
        return out
    }

    /// Vose's alias method on `weights` (normalised here): cell i gives i when the fraction is below
    /// `threshold[i]`, else `alias[i]`.
    static func aliasTable(_ weights: [Double]) -> (threshold: [Double], alias: [Int32]) {
        let n = weights.count
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        var threshold = [Double](repeating: 1, count: n)
        var alias = (0..<n).map { Int32($0) }
        var small: [Int] = [], large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.last {
            threshold[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // Cells left in either list hold (up to rounding) exactly 1: they always give themselves.
        return (threshold, alias)
    }

    /// The value cell `⌊u·n⌋` of `level` gives for the uniform `u`.
    func sample(level: Int, uniform u: Double) -> Int {
        withPointers { $0.sample(level: level, uniform: u) }
    }

    func withPointers<R>(_ body: (Pointers) -> R) -> R {
        cells.withUnsafeBufferPointer { c in
            thresholds.withUnsafeBufferPointer { t in
                levels.withUnsafeBufferPointer { l in
                    body(Pointers(cells: c.baseAddress!, thresholds: t.baseAddress!, levels: l.baseAddress!))
                }
            }
        }
    }

    /// The tables' storage, for the sampling loop.
    struct Pointers {
        let cells: UnsafePointer<UInt32>
        let thresholds: UnsafePointer<Double>
        let levels: UnsafePointer<Level>

        /// Cell `i = ⌊u·n⌋` gives `i` when the fraction `u·n − i` is below its threshold, else its alias.
        @inline(__always)
        func sample(level: Int, uniform u: Double) -> Int {
            let lv = levels[level]
            let x = u * lv.cellCount
            let cell = Int(x)
            let fraction = x - Double(cell)
            let index = lv.base &+ cell
            let c = cells[index]
            let other = Int(c & (1 << PoissonLevelTables.aliasBits - 1))
            let bucket = Int(c >> PoissonLevelTables.aliasBits)
            let mine = Int(fraction * PoissonLevelTables.bucketCount)
            // Both candidates are at hand before the choice, so it is a conditional move: it is random, and a
            // branch on it would mispredict half the time. The rare tie goes to the exact threshold.
            if _fastPath(mine != bucket) { return mine < bucket ? cell : other }
            return fraction < thresholds[index] ? cell : other
        }

        /// `sample(level:uniform:)` for four elements at once, lane j taking the uniform `bits[j]·2⁻⁵³` (bits < 2⁵³)
        /// and the level `levels[4j]`. Lanes whose fraction falls in its cell's threshold bucket (1 in 4096) are
        /// flagged in `tie` and their value left undecided: the caller redoes them with `sample`. Every other lane
        /// gets exactly the scalar rule's value.
        ///
        /// Only the table reads are per lane. The rest is lane-wise arithmetic with the scalar path's values:
        /// - the 53-bit integer v becomes a Double from bit patterns, `(2⁸⁴ + (v >> 32)·2³²) − (2⁸⁴ + 2⁵²) +
        ///   (2⁵² + v mod 2³²)`, every step exact (x86 has no vector UInt64 → Double conversion short of AVX-512,
        ///   and the scalar one branches);
        /// - `x = u·n` with u = v·2⁻⁵³ is `(v·n)·2⁻⁵³` (scaling by a power of two commutes with rounding here), and
        ///   `x·4096 = (v·n)·2⁻⁴¹` is exact, so its floor gives both the cell `⌊x⌋ = ⌊x·4096⌋ >> 12` and the
        ///   fraction's bucket `⌊(x − ⌊x⌋)·4096⌋ = ⌊x·4096⌋ & 4095`; the floor is `x·4096 + 2⁵²` (rounded to an integer
        ///   by the addition) less one where that rounded up.
        @inline(__always)
        func sample4(bits: SIMD4<UInt64>, levels l: UnsafePointer<UInt8>) -> (value: SIMD4<UInt64>, tie: SIMD4<UInt64>) {
            let high = unsafeBitCast((bits &>> 32) | 0x4530_0000_0000_0000, to: SIMD4<Double>.self)
            let low = unsafeBitCast((bits & 0xFFFF_FFFF) | 0x4330_0000_0000_0000, to: SIMD4<Double>.self)
            let v = (high - (0x1p84 + 0x1p52)) + low

            let word = SIMD4<UInt64>(
                levels[Int(l[0])].word, levels[Int(l[4])].word, levels[Int(l[8])].word, levels[Int(l[12])].word)
            let scaled = (v * unsafeBitCast(word & 0xFFFF_FFFF_0000_0000, to: SIMD4<Double>.self)) * 0x1p-41
            let rounded = scaled + 0x1p52
            let roundedUp = unsafeBitCast(rounded - 0x1p52 .> scaled, to: SIMD4<UInt64>.self)  // all ones or zero
            let floor = (unsafeBitCast(rounded, to: SIMD4<UInt64>.self) &- 0x4330_0000_0000_0000) &+ roundedUp
            let cell = floor &>> 12
            let mine = unsafeBitCast(floor & 4095, to: SIMD4<Int64>.self)
            let index = (word & 0xFFFF_FFFF) &+ cell

            let c = SIMD4<UInt64>(
                UInt64(cells[Int(index[0])]), UInt64(cells[Int(index[1])]),
                UInt64(cells[Int(index[2])]), UInt64(cells[Int(index[3])]))
            let bucket = unsafeBitCast(c &>> UInt64(PoissonLevelTables.aliasBits), to: SIMD4<Int64>.self)
            let alias = c & (1 << UInt64(PoissonLevelTables.aliasBits) - 1)
            let keep = unsafeBitCast(mine .< bucket, to: SIMD4<UInt64>.self)
            return ((cell & keep) | (alias & ~keep), unsafeBitCast(mine .== bucket, to: SIMD4<UInt64>.self))
        }
    }
}

extension RandomField {
    /// `out[j]` ~ Poisson(λ of level `levels[j]`) for element `start + j`, from alias tables (`PoissonLevelTables`).
    ///
    /// Element `e` takes one 53-bit uniform from Philox block `e / 2` of counter `(b lo, b hi, 0, 1)` — words (0, 1)
    /// for even e, (2, 3) for odd — under the same derived key as `poisson(lambda:key:substream:element:)`, whose
    /// counters end in 0, so the two never share words. Element values depend only on `(key, substream, e)` and the
    /// tables, so any split into chunks or threads gives the same bytes.
    public static func fillPoisson(
        _ out: UnsafeMutableBufferPointer<Float>, levels: UnsafeBufferPointer<UInt8>, tables: PoissonLevelTables,
        key: RandomKey, substream: UInt64, start: Int
    ) {
        precondition(out.count == levels.count, "fillPoisson: \(out.count) outputs for \(levels.count) levels")
        precondition(start >= 0, "RandomField: start must be ≥ 0, got \(start)")
        guard let o = out.baseAddress, let l = levels.baseAddress else { return }
        let k = poissonKey(key, substream)
        let end = start + out.count
        // A ragged head or tail goes through a scratch group of sixteen (levels outside the range copied from one
        // inside, so every lane reads a valid table), so every element is computed by the same lane-wise code
        // wherever the chunk boundaries fall.
        withUnsafeTemporaryAllocation(of: SIMD4<UInt64>.self, capacity: 4 * groupsPerRun) { bitsBuffer in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { scratchOut in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { scratchLevels in
                    let bits = bitsBuffer.baseAddress!, so = scratchOut.baseAddress!, sl = scratchLevels.baseAddress!
                    Philox4x32.withRoundKeys(k) { keys in
                        tables.withPointers { t in
                            var block = start >> 1
                            while 2 &* block < end {
                                let e = 2 &* block
                                let whole = e >= start ? (end &- e) >> 4 : 0
                                if whole > 0 {
                                    let n = min(whole, groupsPerRun)
                                    poissonGroups(block: block, count: n, keys: keys, tables: t, levels: l + (e &- start),
                                                  out: o + (e &- start), bits: bits)
                                    block &+= 8 &* n
                                } else {
                                    for i in 0..<16 {
                                        let j = e &+ i &- start
                                        sl[i] = j >= 0 && j < out.count ? l[j] : l[0]
                                    }
                                    poissonGroups(block: block, count: 1, keys: keys, tables: t, levels: sl, out: so, bits: bits)
                                    for i in 0..<16 {
                                        let j = e &+ i &- start
                                        if j >= 0 && j < out.count { o[j] = so[i] }
                                    }
                                    block &+= 8
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static let groupsPerRun = 8

    /// Elements `2·block …< 2·block + 16·count` (blocks `block …< block + 8·count`) from their levels.
    ///
    /// Each group of eight blocks is computed as two sets of four, blocks block + 0, 2, 4, 6 and block + 1, 3, 5, 7
    /// (64-bit lanes: the counter's high word needs no carry handling); words (0, 1) of the first set are elements
    /// 0, 4, 8, 12, words (2, 3) elements 1, 5, 9, 13, and the second set's give 2, 6, 10, 14 and 3, 7, 11, 15.
    /// All the groups' Philox blocks first, then all their samples: two loops of independent iterations, which
    /// the processor overlaps better than one long body. Counts below 2²⁰ become Floats from bit patterns
    /// (`(2²³ + k) − 2²³`).
    @inline(__always)
    static func poissonGroups(
        block: Int, count: Int, keys: Philox4x32.RoundKeys, tables t: PoissonLevelTables.Pointers,
        levels l: UnsafePointer<UInt8>, out: UnsafeMutablePointer<Float>, bits: UnsafeMutablePointer<SIMD4<UInt64>>
    ) {
        let one = SIMD4<UInt64>(repeating: 1)
        @inline(__always) func uniformBits(_ lo: SIMD4<UInt64>, _ hi: SIMD4<UInt64>) -> SIMD4<UInt64> { ((hi &<< 32) | lo) &>> 11 }
        for g in 0..<count {
            let evenBlocks = SIMD4<UInt64>(repeating: UInt64(block &+ 8 &* g)) &+ SIMD4(0, 2, 4, 6)
            let oddBlocks = evenBlocks &+ 1
            let e = Philox4x32.blocks4(evenBlocks, evenBlocks &>> 32, .zero, one, keys: keys)
            let o = Philox4x32.blocks4(oddBlocks, oddBlocks &>> 32, .zero, one, keys: keys)
            bits[4 &* g] = uniformBits(e.0, e.1)
            bits[4 &* g &+ 1] = uniformBits(e.2, e.3)
            bits[4 &* g &+ 2] = uniformBits(o.0, o.1)
            bits[4 &* g &+ 3] = uniformBits(o.2, o.3)
        }
        for g in 0..<count {
            let lg = l + 16 &* g
            var (k0, tie0) = t.sample4(bits: bits[4 &* g], levels: lg)
            var (k1, tie1) = t.sample4(bits: bits[4 &* g &+ 1], levels: lg + 1)
            var (k2, tie2) = t.sample4(bits: bits[4 &* g &+ 2], levels: lg + 2)
            var (k3, tie3) = t.sample4(bits: bits[4 &* g &+ 3], levels: lg + 3)
            let ties = (tie0 | tie1) | (tie2 | tie3)
            let anyTie = ties.lowHalf | ties.highHalf
            if _slowPath(anyTie[0] | anyTie[1] != 0) {
                @inline(never) func exact(_ k: inout SIMD4<UInt64>, _ tie: SIMD4<UInt64>, _ q: Int) {
                    for lane in 0..<4 where tie[lane] != 0 {
                        let u = Double(bits[4 &* g &+ q][lane]) * 0x1p-53
                        k[lane] = UInt64(t.sample(level: Int(lg[4 &* lane &+ q]), uniform: u))
                    }
                }
                exact(&k0, tie0, 0); exact(&k1, tie1, 1); exact(&k2, tie2, 2); exact(&k3, tie3, 3)
            }
            // Counts of elements (4i, 4i+1) and (4i+2, 4i+3) as 32-bit pairs, then in element order.
            let first = k0 | (k1 &<< 32), second = k2 | (k3 &<< 32)
            let ordered = SIMD8<UInt64>(first[0], second[0], first[1], second[1], first[2], second[2], first[3], second[3])
            let counts = unsafeBitCast(unsafeBitCast(ordered, to: SIMD16<UInt32>.self) | 0x4B00_0000, to: SIMD16<Float>.self) - 0x1p23
            UnsafeMutableRawPointer(out + 16 &* g).storeBytes(of: counts, as: SIMD16<Float>.self)
        }
    }
}
