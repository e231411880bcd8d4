import DegradeMedia
import DegradeRandom
import Synchronization

/// Shot noise as in MME 0.x `RandomNoise._apply_poisson_noise` and BasicSR `generate_poisson_noise`:
/// ```
/// x     = clip(round(255·s), 0, 255) / 255        s = the frame (colour) or its luma (gray); round half to even
/// vals  = 2^ceil(log2(#distinct values of x))     over the whole frame (all channels in colour mode)
/// noise = Poisson(x·vals) / vals − x
/// out   = img + scale·noise                       img unrounded; gray: the one noise plane goes to all 3 channels
/// ```
/// Gray luma is `.299·R + .587·G + .114·B`, i.e. MME's `cv2.cvtColor(img[..., ::-1], COLOR_BGR2GRAY)` on its RGB
/// frame (BasicSR's torchvision variant uses .2989; we follow MME 0.x).
///
/// Both references clip the rounded codes to 0…255 before counting and sampling (the spec's summary omits the clip),
/// so out-of-range input — e.g. bicubic overshoot left unclipped by earlier ops — counts as 0 or 255 and λ is never
/// negative; we do the same. `x` has at most 256 levels, so distinct values are counted with a 256-entry table instead
/// of sorting. No clipping of the output (MME does not clip), so values may leave [0, 1].
///
/// Randomness: element `c·H·W + i` (colour) or `i` (gray) of `RandomField.fillPoisson(_:levels:tables:…)`, an exact
/// sampler by per-level alias tables (`PoissonLevelTables`, cached per `vals`). It replaced a per-sample rejection
/// sampler (PTRS, ~35 ns a sample) with the same distribution: the noise of a given seed changed bytes then, not
/// statistics.
public enum PoissonNoise {
    public static func apply(_ image: inout Image, scale: Float, gray: Bool, key: RandomKey, substream: UInt64) throws {
        guard scale.isFinite && scale >= 0 else {
            throw OpError("PoissonNoise", "scale must be finite and ≥ 0, got \(scale)")
        }
        if gray && image.channels != 3 {
            throw OpError("PoissonNoise", "gray noise needs an RGB image (3 channels), got \(image.channels)")
        }
        let plane = image.planeSize
        let codes = try gray ? lumaCodes(image) : sampleCodes(image)
        let vals = levelCount(distinct: distinctCount(codes))
        // `vals` is a power of two, so multiplying by its reciprocal gives exactly the quotient (and no divide).
        let inverseVals = 1 / Float(vals)

        // λ = x·vals in Float as in the references, sampled from cached per-level tables.
        let tables = Self.tables(vals: vals)
        let chunk = min(codes.count, 4 * NoiseChunk.size)
        var counts = [Float](repeating: 0, count: chunk)
        image.pixels.withUnsafeMutableBufferPointer { px in
            codes.withUnsafeBufferPointer { cd in
                counts.withUnsafeMutableBufferPointer { kb in
                    var offset = 0
                    while offset < cd.count {
                        let n = min(chunk, cd.count - offset)
                        RandomField.fillPoisson(
                            UnsafeMutableBufferPointer(rebasing: kb[0..<n]),
                            levels: UnsafeBufferPointer(rebasing: cd[offset..<(offset + n)]), tables: tables,
                            key: key, substream: substream, start: offset)
                        let p = px.baseAddress! + offset
                        // x = Float(code) / 255 is `Image.unitLevels[code]` (both correctly rounded); as
                        // arithmetic the loops vectorise, where the table read was a per-sample gather.
                        if gray {
                            // Gray noise needs three channels (checked above), spelled out so the loop vectorises.
                            for j in 0..<n {
                                let noise = scale * (kb[j] * inverseVals - Float(cd[offset &+ j]) / 255)
                                p[j] += noise
                                p[plane &+ j] += noise
                                p[2 &* plane &+ j] += noise
                            }
                        } else {
                            for j in 0..<n { p[j] += scale * (kb[j] * inverseVals - Float(cd[offset &+ j]) / 255) }
                        }
                        offset += n
                    }
                }
            }
        }
    }

    /// Sampling tables for λ = (k/255)·vals, k = 0…255, built once per `vals` (a power of two ≤ 256, so at most
    /// nine sets) and shared by every call.
    static func tables(vals: Int) -> PoissonLevelTables {
        if let cached = tableCache.withLock({ $0[vals] }) { return cached }
        let valsF = Float(vals)
        let built = PoissonLevelTables(lambdas: Image.unitLevels.map { $0 * valsF })
        return tableCache.withLock { cache in
            if let raced = cache[vals] { return raced }
            cache[vals] = built
            return built
        }
    }

    private static let tableCache = Mutex<[Int: PoissonLevelTables]>([:])

    /// `2^ceil(log2(distinct))`: the smallest power of two ≥ `distinct` (1 → 1, 3 → 4, 256 → 256).
    static func levelCount(distinct: Int) -> Int {
        precondition(distinct >= 1)
        var v = 1
        while v < distinct { v <<= 1 }
        return v
    }

    /// Number of distinct 8-bit codes, by table.
    static func distinctCount(_ codes: [UInt8]) -> Int {
        var seen = [UInt8](repeating: 0, count: 256)
        seen.withUnsafeMutableBufferPointer { table in
            codes.withUnsafeBufferPointer { c in
                for i in 0..<c.count { table[Int(c[i])] = 1 }
            }
        }
        return seen.reduce(0) { $0 + Int($1) }
    }

    /// `clip(round_half_even(255·v), 0, 255)`; NaN has no code.
    @inline(__always)
    static func code(_ v: Float) throws -> UInt8 {
        guard !v.isNaN else { throw nanError }
        return Image.quantize8(v)
    }

    static let nanError = OpError("PoissonNoise", "the image holds NaN samples; Poisson noise needs numbers")

    static func sampleCodes(_ image: Image) throws -> [UInt8] {
        try codes(count: image.pixels.count) { out in
            image.pixels.withUnsafeBufferPointer { px in
                // The NaN flag is or-ed as a number: `nan || v.isNaN` branches, and the loop stayed scalar.
                var nan: UInt8 = 0
                for i in 0..<px.count {
                    let v = px[i]
                    nan |= v.isNaN ? 1 : 0
                    out[i] = Image.quantize8(v)
                }
                return nan != 0
            }
        }
    }

    /// Codes of the luma plane `.299·R + .587·G + .114·B`.
    static func lumaCodes(_ image: Image) throws -> [UInt8] {
        let plane = image.planeSize
        return try codes(count: plane) { out in
            image.pixels.withUnsafeBufferPointer { px in
                var nan: UInt8 = 0
                for i in 0..<plane {
                    let y = 0.299 * px[i] + 0.587 * px[plane &+ i] + 0.114 * px[2 &* plane &+ i]
                    nan |= y.isNaN ? 1 : 0
                    out[i] = Image.quantize8(y)
                }
                return nan != 0
            }
        }
    }

    /// `count` codes written by `fill`, which returns whether it met a NaN (then this throws).
    private static func codes(count: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Bool) throws -> [UInt8] {
        var sawNaN = false
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialised in
            sawNaN = fill(buffer.baseAddress!)
            initialised = count
        }
        if sawNaN { throw nanError }
        return out
    }
}
