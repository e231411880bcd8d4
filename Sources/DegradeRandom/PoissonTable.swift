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
    /// One alias cell: its threshold and its alias side by side, so a sample touches one cache line, not two (the
    /// tables of 256 levels span about half a megabyte, so these loads miss the L1 and often the L2).
    struct Cell: Sendable {
        var threshold: Double
        var alias: Int32
    }

    /// All levels' cells, concatenated; level `l` has `cellCount[l]` cells starting at `base[l]`.
    let cells: [Cell]
    let base: [Int32]
    let cellCount: [Double]

    /// Tables for `lambdas[l]`, l = 0…lambdas.count−1; each λ must be finite, ≥ 0 and ≤ 10⁵.
    public init(lambdas: [Float]) {
        var cells: [Cell] = [], base: [Int32] = [], cellCount: [Double] = []
        for l in lambdas {
            precondition(l >= 0 && l.isFinite && l <= 1e5, "PoissonLevelTables: λ must be finite and within 0…1e5, got \(l)")
            let (t, a) = Self.aliasTable(Self.pmf(lambda: Double(l)))
            base.append(Int32(cells.count))
            cellCount.append(Double(t.count))
            cells += zip(t, a).map { Cell(threshold: $0, alias: $1) }
        }
        self.cells = cells
        self.base = base
        self.cellCount = cellCount
    }

    public var levelCount: Int { base.count }

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
            base.withUnsafeBufferPointer { b in
                cellCount.withUnsafeBufferPointer { n in
                    body(Pointers(cells: c.baseAddress!, base: b.baseAddress!, cellCount: n.baseAddress!))
                }
            }
        }
    }

    /// The tables' storage, for the sampling loop.
    struct Pointers {
        let cells: UnsafePointer<Cell>
        let base: UnsafePointer<Int32>, cellCount: UnsafePointer<Double>

        @inline(__always)
        func sample(level: Int, uniform u: Double) -> Int {
            let x = u * cellCount[level]
            let cell = Int(x)
            let c = cells[Int(base[level]) &+ cell]
            // Both candidates are loaded first so the choice is a conditional move: it is random, and a branch on
            // it would mispredict half the time.
            let other = Int(c.alias)
            return x - Double(cell) < c.threshold ? cell : other
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
