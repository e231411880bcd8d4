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
    /// Where a level's cells start in `cells` and how many it has (as a Double, the factor of `u·n`), side by side
    /// so a sample reads them from one line.
    struct Level: Sendable {
        var cellCount: Double
        var base: Int
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
            // λ ≤ 1e5 keeps every table far below 2²⁰ cells, so an alias fits its field.
            precondition(t.count < 1 << Self.aliasBits, "PoissonLevelTables: \(t.count) cells for λ = \(l)")
            levels.append(Level(cellCount: Double(t.count), base: cells.count))
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
        guard !out.isEmpty else { return }
        @inline(__always) func uniform(_ lo: UInt32, _ hi: UInt32) -> Double {
            Double((UInt64(hi) << 32 | UInt64(lo)) >> 11) * 0x1p-53
        }
        let k = poissonKey(key, substream)
        let end = start + out.count
        let lastBlock = (end - 1) >> 1
        // Eight blocks (16 elements) per Philox call; the words go through a small buffer so each element's
        // uniform is plain scalar arithmetic.
        withUnsafeTemporaryAllocation(of: SIMD8<UInt32>.self, capacity: 4) { words in
            let w = UnsafeRawPointer(words.baseAddress!).assumingMemoryBound(to: UInt32.self)
            tables.withPointers { t in
                var block = start >> 1
                while block <= lastBlock {
                    let (lo, hi) = blockWords(UInt64(block))
                    let (w0, w1, w2, w3) = Philox4x32.blocks8(lo, hi, .zero, SIMD8(repeating: 1), key: k)
                    words[0] = w0; words[1] = w1; words[2] = w2; words[3] = w3
                    let e = 2 &* block
                    if e >= start && e &+ 16 <= end {
                        // All sixteen elements inside: no per-element range checks.
                        let o = out.baseAddress! + (e &- start), l = levels.baseAddress! + (e &- start)
                        for lane in 0..<8 {
                            o[2 &* lane] = Float(t.sample(level: Int(l[2 &* lane]), uniform: uniform(w[lane], w[8 &+ lane])))
                            o[2 &* lane &+ 1] = Float(t.sample(
                                level: Int(l[2 &* lane &+ 1]), uniform: uniform(w[16 &+ lane], w[24 &+ lane])))
                        }
                        block &+= 8
                        continue
                    }
                    for lane in 0..<min(8, lastBlock &- block &+ 1) {
                        let e0 = 2 &* (block &+ lane)
                        if e0 >= start && e0 < end {
                            let j = e0 &- start
                            out[j] = Float(t.sample(level: Int(levels[j]), uniform: uniform(w[lane], w[8 &+ lane])))
                        }
                        let e1 = e0 &+ 1
                        if e1 >= start && e1 < end {
                            let j = e1 &- start
                            out[j] = Float(t.sample(level: Int(levels[j]), uniform: uniform(w[16 &+ lane], w[24 &+ lane])))
                        }
                    }
                    block &+= 8
                }
            }
        }
    }
}
