import Foundation
import Testing
@testable import DegradeRandom

/// The pinned values come from an independent Python 3 model of the documented derivation, not from this code:
/// ```
/// M = 2**64 - 1
/// def fnv(data):
///     h = 0xcbf29ce484222325
///     for b in data: h = ((h ^ b) * 0x100000001b3) & M
///     return h
/// def lp(s): b = s.encode(); return len(b).to_bytes(8, 'little') + b
/// def sm(z):
///     z = (z + 0x9E3779B97F4A7C15) & M
///     z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
///     z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
///     return z ^ (z >> 31)
/// def key(seed, clip, stream): return sm(fnv(lp(clip) + lp(stream)) ^ sm(seed))
/// def derived(k, name): return sm(fnv(k.to_bytes(8, 'little') + lp(name)))
/// key(42, "000/00000000", "blur1")               # 0xc1c507aec0a31a28
/// derived(key(42, "000/00000000", "blur1"), "frame-3")  # 0x3cd5073fe9768f11
/// key(0, "", "")                                 # 0x5ace0d66bf2f22e1
/// key(7, "ab", "c"), key(7, "a", "bc")           # 0x7ef80e0e474837a3, 0x2fea8735d9cfa6c9
/// ```
@Suite struct KeyDerivationTests {
    @Test func pinnedKeysMatchTheIndependentModel() {
        let k = RandomKey(seed: 42, clip: "000/00000000", stream: "blur1")
        #expect(k.bits == 0xc1c5_07ae_c0a3_1a28)
        #expect(k.words == SIMD2(0xc0a3_1a28, 0xc1c5_07ae))
        #expect(k.derived("frame-3").bits == 0x3cd5_073f_e976_8f11)
        #expect(RandomKey(seed: 0, clip: "", stream: "").bits == 0x5ace_0d66_bf2f_22e1)
    }

    @Test func lengthPrefixSeparatesNameBoundaries() {
        #expect(RandomKey(seed: 7, clip: "ab", stream: "c").bits == 0x7ef8_0e0e_4748_37a3)
        #expect(RandomKey(seed: 7, clip: "a", stream: "bc").bits == 0x2fea_8735_d9cf_a6c9)
    }

    @Test func everyInputChangesTheKey() {
        let base = RandomKey(seed: 1, clip: "clip", stream: "noise")
        #expect(RandomKey(seed: 2, clip: "clip", stream: "noise") != base)
        #expect(RandomKey(seed: 1, clip: "clip2", stream: "noise") != base)
        #expect(RandomKey(seed: 1, clip: "clip", stream: "noise2") != base)
        #expect(base.derived("a") != base.derived("b"))
        #expect(base.derived("a") != base)
        #expect(RandomKey(seed: 1, clip: "clip", stream: "noise") == base)
    }

    @Test func bitsAndWordsRoundTrip() {
        let k = RandomKey(bits: 0x0123_4567_89ab_cdef)
        #expect(k.words == SIMD2(0x89ab_cdef, 0x0123_4567))
        #expect(RandomKey(words: k.words) == k)
        #expect(k.description == "0123456789abcdef")
    }

    @Test func codableAsHexString() throws {
        let k = RandomKey(seed: 42, clip: "000/00000000", stream: "blur1")
        let data = try JSONEncoder().encode([k])
        #expect(String(decoding: data, as: UTF8.self) == "[\"c1c507aec0a31a28\"]")
        #expect(try JSONDecoder().decode([RandomKey].self, from: data) == [k])
        for bad in ["[\"c1c507aec0a31a2\"]", "[\"+1c507aec0a31a28\"]", "[\"g1c507aec0a31a28\"]", "[12]"] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode([RandomKey].self, from: Data(bad.utf8)) }
        }
    }
}
