import Testing
@testable import DegradeRandom

/// Random123's published known-answer vectors for Philox4x32-10 (its tests/kat_vectors), also reproduced by an
/// independent Python model of the round function.
@Suite struct PhiloxKnownAnswerTests {
    static let vectors: [(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, expected: SIMD4<UInt32>)] = [
        (SIMD4(0, 0, 0, 0), SIMD2(0, 0), SIMD4(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8)),
        (SIMD4(0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff), SIMD2(0xffff_ffff, 0xffff_ffff),
         SIMD4(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd)),
        (SIMD4(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), SIMD2(0xa409_3822, 0x299f_31d0),
         SIMD4(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1)),
    ]

    @Test(arguments: 0..<3)
    func knownAnswer(_ index: Int) {
        let v = Self.vectors[index]
        #expect(Philox4x32.block(counter: v.counter, key: v.key) == v.expected)
    }

    @Test func eightLaneFormMatchesScalarBlocks() {
        let key = SIMD2<UInt32>(0xa409_3822, 0x299f_31d0)
        var c0 = SIMD8<UInt32>(), c1 = SIMD8<UInt32>(), c2 = SIMD8<UInt32>(), c3 = SIMD8<UInt32>()
        for lane in 0..<8 {
            let base = UInt32(lane) &* 0x9E37_79B9
            c0[lane] = base; c1[lane] = ~base; c2[lane] = base &* 3; c3[lane] = UInt32(lane)
        }
        let (w0, w1, w2, w3) = Philox4x32.withRoundKeys(key) { Philox4x32.blocks8(c0, c1, c2, c3, keys: $0) }
        for lane in 0..<8 {
            let scalar = Philox4x32.block(counter: SIMD4(c0[lane], c1[lane], c2[lane], c3[lane]), key: key)
            #expect(SIMD4(w0[lane], w1[lane], w2[lane], w3[lane]) == scalar)
        }
    }
}
