import Foundation

/// A sequential random stream over Philox4x32-10 for parameter sampling (kernel sizes, σ, walks, choices).
///
/// Counter layout: words (0,1) = block index (64-bit, little half first), words (2,3) = substream id (64-bit).
/// Each block yields four 32-bit words, consumed in order `0,1,2,3`; a 64-bit draw takes two words, the first as the
/// low half. A stream is a value: copying it forks an identical sequence. There is no global generator anywhere.
///
/// Draws that consume a variable number of words (rejection in `int`, `poisson`) keep the stream deterministic but
/// shift later draws; give independent quantities their own stream (`RandomKey.derived`) or `substream` when their
/// alignment matters.
public struct RandomStream: Sendable {
    public let key: RandomKey
    /// The substream id in counter words (2,3).
    let substreamID: UInt64
    private var nextBlock: UInt64 = 0
    private var buffer: SIMD4<UInt32> = .zero
    private var used = 4

    public init(key: RandomKey, substream: UInt64 = 0) {
        self.key = key
        self.substreamID = substream
    }

    public init(seed: UInt64, clip: String, stream: String) {
        self.init(key: RandomKey(seed: seed, clip: clip, stream: stream))
    }

    /// A fresh stream with the same key and another substream id, starting at block 0.
    public func substream(_ id: UInt64) -> RandomStream {
        RandomStream(key: key, substream: id)
    }

    mutating func nextUInt32() -> UInt32 {
        if used == 4 {
            let counter = SIMD4(
                UInt32(truncatingIfNeeded: nextBlock), UInt32(truncatingIfNeeded: nextBlock >> 32),
                UInt32(truncatingIfNeeded: substreamID), UInt32(truncatingIfNeeded: substreamID >> 32))
            buffer = Philox4x32.block(counter: counter, key: key.words)
            nextBlock &+= 1
            used = 0
        }
        let word = buffer[used]
        used &+= 1
        return word
    }

    /// Two words, the first as the low half.
    mutating func nextUInt64() -> UInt64 {
        let lo = UInt64(nextUInt32())
        return UInt64(nextUInt32()) << 32 | lo
    }

    /// Uniform on [0, 1): the top 53 bits of `nextUInt64()` times 2⁻⁵³.
    public mutating func uniform() -> Double {
        Double(nextUInt64() >> 11) * 0x1p-53
    }

    /// `lo + (hi − lo)·u`, like Python's `random.uniform` (also for `lo > hi`). Always consumes one draw, so the
    /// stream stays aligned whatever the bounds; `lo == hi` returns `lo` exactly.
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        let u = uniform()
        return lo == hi ? lo : lo + (hi - lo) * u
    }

    /// N(0, 1) by Box–Muller from two uniforms (`√(−2 ln(1−u₁))·cos(2πu₂)`); one block per sample.
    public mutating func normal() -> Double {
        let u1 = 1 - uniform()  // (0, 1], so the log is finite
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Uniform over the integers of `range`, unbiased (Lemire's multiply-and-reject on 64 bits).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: nextUInt64()) }  // the full 64-bit range
        var m = nextUInt64().multipliedFullWidth(by: span)
        if m.low < span {
            let threshold = (0 &- span) % span  // 2⁶⁴ mod span: the biased low products
            while m.low < threshold { m = nextUInt64().multipliedFullWidth(by: span) }
        }
        return range.lowerBound &+ Int(truncatingIfNeeded: m.high)
    }

    /// Uniform over the odd integers of `range` (e.g. kernel sizes 7…21 ↦ {7, 9, …, 21}), like
    /// `random.choice(range(lo, hi + 1, 2))` for odd `lo`. The range must contain an odd value.
    mutating func oddInt(in range: ClosedRange<Int>) -> Int {
        let first = range.lowerBound & 1 != 0 ? range.lowerBound : range.lowerBound + 1
        let last = range.upperBound & 1 != 0 ? range.upperBound : range.upperBound - 1
        precondition(first <= last, "oddInt(in: \(range)): the range holds no odd value")
        return first + 2 * int(in: 0...((last - first) / 2))
    }

    /// True with probability `p` (`uniform() < p`); p ≤ 0 never, p ≥ 1 always. Always consumes one draw.
    public mutating func bernoulli(_ p: Double) -> Bool {
        uniform() < p
    }

    /// An index `i` with probability `weights[i] / Σ weights`. Weights must be finite, non-negative, with a positive sum;
    /// a zero weight is never chosen.
    public mutating func choice(weights: [Double]) -> Int {
        var total = 0.0
        for w in weights {
            precondition(w >= 0 && w.isFinite, "choice(weights:): weights must be finite and ≥ 0, got \(weights)")
            total += w
        }
        precondition(total > 0, "choice(weights:): weights must have a positive sum, got \(weights)")
        let target = uniform() * total
        var cumulative = 0.0
        var lastPositive = 0
        for (i, w) in weights.enumerated() where w > 0 {
            cumulative += w
            if target < cumulative { return i }
            lastPositive = i
        }
        return lastPositive  // rounding left target ≥ the summed total
    }

    /// A uniform random permutation of `0..<n` (Fisher–Yates, swapping from the end).
    public mutating func permutation(_ n: Int) -> [Int] {
        precondition(n >= 0, "permutation(\(n)): n must be ≥ 0")
        var a = Array(0..<n)
        var i = n - 1
        while i > 0 {
            a.swapAt(i, int(in: 0...i))
            i -= 1
        }
        return a
    }

    /// One Poisson(λ) sample, exact: inversion for λ < 10, PTRS (Hörmann 1993) above. λ = 0 gives 0 without a draw.
    public mutating func poisson(_ lambda: Double) -> Int {
        precondition(lambda >= 0 && lambda.isFinite, "poisson(\(lambda)): λ must be finite and ≥ 0")
        return Int(PoissonSampler.sample(lambda, from: &self))
    }
}

extension RandomStream: UniformSource {
    mutating func nextUniform() -> Double { uniform() }
}
