/// Bulk per-pixel random fields. Element `i` depends only on `(key, substream, i)`, so a plane may be split across
/// threads, chunks or shards in any way and still produce identical bytes.
///
/// Normal and uniform fields use the `RandomStream` counter layout — block `b` has counter
/// `(b lo, b hi, substream lo, substream hi)` — and element `i` comes from block `i / 4`, word `i % 4`. So a normal and a
/// uniform field with the same `(key, substream)` share their raw words: use different substreams or keys for
/// different purposes.
public enum RandomField {
    /// Elements per SIMD group (eight Philox blocks).
    static let groupSize = 32

    /// `out[j]` = N(0,1) sample number `start + j`. Box–Muller on Float: block `b` gives samples `4b…4b+3` as
    /// `r₀cos θ₀, r₀sin θ₀, r₁cos θ₁, r₁sin θ₁` from word pairs (0,1) and (2,3) (see `BoxMuller.transform`).
    public static func fillNormal(
        _ out: UnsafeMutableBufferPointer<Float>, key: RandomKey, substream: UInt64, start: Int
    ) {
        fill(out, key: key, substream: substream, start: start, group: normalGroup)
    }

    /// `out[j]` = uniform sample number `start + j` on [0, 1): `(word >> 8)·2⁻²⁴`.
    static func fillUniform(
        _ out: UnsafeMutableBufferPointer<Float>, key: RandomKey, substream: UInt64, start: Int
    ) {
        fill(out, key: key, substream: substream, start: start, group: uniformGroup)
    }

    /// One Poisson(λ) sample for element `element`, exact (inversion below λ = 10, PTRS above; λ = 0 gives 0).
    ///
    /// Each element owns the counter sequence `(element lo, element hi, j, 0)`, j = 0, 1, …, under the key
    /// `splitmix64(key.bits ^ splitmix64(substream ^ 0x504F4953534F4E21))` ("POISSON!"), so rejection loops stay
    /// per-element deterministic and never touch the normal/uniform fields of the same `(key, substream)`.
    /// λ must be finite and ≥ 0. Computed in Double; the count is returned as Float (exact below 2²⁴).
    public static func poisson(lambda: Float, key: RandomKey, substream: UInt64, element: Int) -> Float {
        precondition(lambda >= 0 && lambda.isFinite, "RandomField.poisson: λ must be finite and ≥ 0, got \(lambda)")
        precondition(element >= 0, "RandomField.poisson: element must be ≥ 0, got \(element)")
        var source = ElementSource(key: poissonKey(key, substream), element: element)
        return Float(PoissonSampler.sample(Double(lambda), from: &source))
    }

    /// `out[j] = poisson(lambda: lambda[j], key:, substream:, element: start + j)`. Same values as the per-element call,
    /// faster: the key derivation is hoisted, runs of equal λ share their sampler constants, and every element's first
    /// Philox block is computed eight at a time.
    public static func fillPoisson(
        _ out: UnsafeMutableBufferPointer<Float>, lambda: UnsafeBufferPointer<Float>,
        key: RandomKey, substream: UInt64, start: Int
    ) {
        precondition(out.count == lambda.count, "fillPoisson: \(out.count) outputs for \(lambda.count) λ values")
        var cached = PoissonSampler.Parameters(0)
        fillPoisson(out, key: key, substream: substream, start: start) { j in
            let l = lambda[j]
            precondition(l >= 0 && l.isFinite, "RandomField.fillPoisson: λ must be finite and ≥ 0, got \(l)")
            if Double(l) != cached.lambda { cached = PoissonSampler.Parameters(Double(l)) }
            return cached
        }
    }

    /// `out[j] = poisson(lambda: lambdas[Int(levels[j])], key:, substream:, element: start + j)`: for images whose λ
    /// takes few values (Poisson noise on 8-bit levels), with the sampler constants computed once per level.
    public static func fillPoisson(
        _ out: UnsafeMutableBufferPointer<Float>, levels: UnsafeBufferPointer<UInt8>, lambdas: [Float],
        key: RandomKey, substream: UInt64, start: Int
    ) {
        precondition(out.count == levels.count, "fillPoisson: \(out.count) outputs for \(levels.count) levels")
        let table = lambdas.map { l in
            precondition(l >= 0 && l.isFinite, "RandomField.fillPoisson: λ must be finite and ≥ 0, got \(l)")
            return PoissonSampler.Parameters(Double(l))
        }
        table.withUnsafeBufferPointer { t in
            fillPoisson(out, key: key, substream: substream, start: start) { j in t[Int(levels[j])] }
        }
    }

    @inline(__always)
    static func fillPoisson(
        _ out: UnsafeMutableBufferPointer<Float>, key: RandomKey, substream: UInt64, start: Int,
        parameters: (Int) -> PoissonSampler.Parameters
    ) {
        precondition(start >= 0, "RandomField: start must be ≥ 0, got \(start)")
        let k = poissonKey(key, substream)
        Philox4x32.withRoundKeys(k) { keys in
            var j = 0
            while j < out.count {
                let n = min(8, out.count - j)
                let first = UInt64(start + j)
                let elements = SIMD8<UInt64>(repeating: first) &+ SIMD8<UInt64>(0, 1, 2, 3, 4, 5, 6, 7)
                let (w0, w1, w2, w3) = Philox4x32.blocks8(
                    SIMD8<UInt32>(truncatingIfNeeded: elements), SIMD8<UInt32>(truncatingIfNeeded: elements &>> 32),
                    .zero, .zero, keys: keys)
                for lane in 0..<n {
                    let p = parameters(j + lane)
                    var source = ElementSource(
                        key: k, element: start + j + lane, firstBlock: SIMD4(w0[lane], w1[lane], w2[lane], w3[lane]))
                    out[j + lane] = Float(PoissonSampler.sample(p, from: &source))
                }
                j += n
            }
        }
    }

    // MARK: - Internals

    static func poissonKey(_ key: RandomKey, _ substream: UInt64) -> SIMD2<UInt32> {
        RandomKey(bits: StableHash.splitmix64(key.bits ^ StableHash.splitmix64(substream ^ 0x504F_4953_534F_4E21))).words
    }

    /// One element's private uniform sequence: block `j` of counter `(element lo, element hi, j, 0)` gives two 53-bit
    /// uniforms, from words (0,1) then (2,3).
    struct ElementSource: UniformSource {
        let key: SIMD2<UInt32>
        let lo: UInt32
        let hi: UInt32
        var nextBlock: UInt32
        var words: SIMD4<UInt32>
        var used: Int

        init(key: SIMD2<UInt32>, element: Int) {
            self.key = key
            lo = UInt32(truncatingIfNeeded: UInt64(element))
            hi = UInt32(truncatingIfNeeded: UInt64(element) >> 32)
            nextBlock = 0
            words = .zero
            used = 4
        }

        /// With block 0 already computed (by the batched path).
        init(key: SIMD2<UInt32>, element: Int, firstBlock: SIMD4<UInt32>) {
            self.init(key: key, element: element)
            nextBlock = 1
            words = firstBlock
            used = 0
        }

        mutating func nextUniform() -> Double {
            if used == 4 {
                words = Philox4x32.block(counter: SIMD4(lo, hi, nextBlock, 0), key: key)
                nextBlock &+= 1
                used = 0
            }
            let bits = UInt64(words[used &+ 1]) << 32 | UInt64(words[used])
            used &+= 2
            return Double(bits >> 11) * 0x1p-53
        }
    }

    /// Writes the 32 elements of blocks `firstBlock ..< firstBlock+8` to `dst`.
    typealias Group = (
        _ firstBlock: UInt64, _ keys: Philox4x32.RoundKeys, _ substream: UInt64, _ dst: UnsafeMutablePointer<Float>
    ) -> Void

    /// Whole groups go straight to `out`; a ragged head or tail is computed into a scratch group and copied, so every
    /// element is produced by the same lane-wise arithmetic wherever the chunk boundaries fall.
    @inline(__always)
    static func fill(
        _ out: UnsafeMutableBufferPointer<Float>, key: RandomKey, substream: UInt64, start: Int, group: Group
    ) {
        precondition(start >= 0, "RandomField: start must be ≥ 0, got \(start)")
        guard let base = out.baseAddress, out.count > 0 else { return }
        let end = start + out.count
        Philox4x32.withRoundKeys(key.words) { keys in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: groupSize) { scratch in
                let tmp = scratch.baseAddress!
                var i = start
                while i < end {
                    let lane = i & 3
                    let block = UInt64(i >> 2)
                    let produced = groupSize - lane
                    if lane == 0 && end - i >= groupSize {
                        group(block, keys, substream, base + (i - start))
                        i += groupSize
                    } else {
                        group(block, keys, substream, tmp)
                        let n = min(produced, end - i)
                        (base + (i - start)).update(from: tmp + lane, count: n)
                        i += n
                    }
                }
            }
        }
    }

    @inline(__always)
    static func counters(_ firstBlock: UInt64, _ substream: UInt64)
        -> (SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>)
    {
        let (lo, hi) = blockWords(firstBlock)
        return (lo, hi, SIMD8(repeating: UInt32(truncatingIfNeeded: substream)),
                SIMD8(repeating: UInt32(truncatingIfNeeded: substream >> 32)))
    }

    /// Block numbers `first + 0…7` as low and high 32-bit words (32-bit lanes avoid Swift's generic lane-by-lane
    /// SIMD width conversions). The carry into the high word is handled apart, by a branch taken only when the low
    /// words wrap (never for image-sized fields): `SIMD.replace(with:where:)` is lowered to a per-lane loop through
    /// the stack whose reload stalls, and it cost about a seventh of the Poisson sampling loop.
    @inline(__always)
    static func blockWords(_ first: UInt64) -> (lo: SIMD8<UInt32>, hi: SIMD8<UInt32>) {
        let lo0 = UInt32(truncatingIfNeeded: first)
        let lo = SIMD8<UInt32>(repeating: lo0) &+ SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        let hi0 = UInt32(truncatingIfNeeded: first >> 32)
        var hi = SIMD8<UInt32>(repeating: hi0)
        if _slowPath(lo0 > UInt32.max - 7) {
            for lane in 0..<8 where lo[lane] < lo0 { hi[lane] = hi0 &+ 1 }
        }
        return (lo, hi)
    }

    static func normalGroup(
        _ firstBlock: UInt64, _ keys: Philox4x32.RoundKeys, _ substream: UInt64, _ dst: UnsafeMutablePointer<Float>
    ) {
        let (c0, c1, c2, c3) = counters(firstBlock, substream)
        let (w0, w1, w2, w3) = Philox4x32.blocks8(c0, c1, c2, c3, keys: keys)
        // Lanes 0–7 carry pair (w0,w1) of blocks 0–7, lanes 8–15 pair (w2,w3).
        let (zc, zs) = BoxMuller.transform(SIMD16(lowHalf: w0, highHalf: w2), SIMD16(lowHalf: w1, highHalf: w3))
        // Element 4b…4b+3 = zc[b], zs[b], zc[b+8], zs[b+8]: built as two vectors (the compiler turns the lane picks
        // into shuffles) and stored whole, instead of 32 scalar extracts and stores.
        let first = SIMD16<Float>(
            zc[0], zs[0], zc[8], zs[8], zc[1], zs[1], zc[9], zs[9],
            zc[2], zs[2], zc[10], zs[10], zc[3], zs[3], zc[11], zs[11])
        let second = SIMD16<Float>(
            zc[4], zs[4], zc[12], zs[12], zc[5], zs[5], zc[13], zs[13],
            zc[6], zs[6], zc[14], zs[14], zc[7], zs[7], zc[15], zs[15])
        UnsafeMutableRawPointer(dst).storeBytes(of: first, as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(dst + 16).storeBytes(of: second, as: SIMD16<Float>.self)
    }

    static func uniformGroup(
        _ firstBlock: UInt64, _ keys: Philox4x32.RoundKeys, _ substream: UInt64, _ dst: UnsafeMutablePointer<Float>
    ) {
        let (c0, c1, c2, c3) = counters(firstBlock, substream)
        let (w0, w1, w2, w3) = Philox4x32.blocks8(c0, c1, c2, c3, keys: keys)
        @inline(__always) func unit(_ w: SIMD8<UInt32>) -> SIMD8<Float> {
            SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: w &>> 8)) * 0x1p-24
        }
        let (u0, u1, u2, u3) = (unit(w0), unit(w1), unit(w2), unit(w3))
        for b in 0..<8 {
            dst[4 &* b] = u0[b]
            dst[4 &* b &+ 1] = u1[b]
            dst[4 &* b &+ 2] = u2[b]
            dst[4 &* b &+ 3] = u3[b]
        }
    }
}
