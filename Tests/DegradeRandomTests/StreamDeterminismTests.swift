import Foundation
import Testing
@testable import DegradeRandom

@Suite struct StreamDeterminismTests {
    static let key = RandomKey(seed: 42, clip: "000/00000000", stream: "blur1")

    /// Words of blocks (0,0,7,0) and (1,0,7,0) under key 0xc1c507aec0a31a28 from the Python model in
    /// KeyDerivationTests plus its Philox round function; uniform = ((w1 << 32 | w0) >> 11)·2⁻⁵³.
    @Test func counterLayoutMatchesTheIndependentModel() {
        var s = RandomStream(key: Self.key, substream: 7)
        let expected: [UInt32] = [0xea64_f351, 0x0566_8ba0, 0x0482_0409, 0x6fc0_5ee5,
                                  0x882e_ed80, 0xef67_ec52, 0x1187_b3f2, 0xcf2a_f7cf]
        #expect((0..<8).map { _ in s.nextUInt32() } == expected)
        var t = RandomStream(key: Self.key, substream: 7)
        #expect(t.nextUInt64() == 0x0566_8ba0_ea64_f351)
        var u = RandomStream(key: Self.key, substream: 7)
        #expect(u.uniform() == 0.021095968996082126)
    }

    @Test func sameNameSameSequenceAndCopiesFork() {
        var a = RandomStream(seed: 9, clip: "c", stream: "s")
        var b = RandomStream(key: RandomKey(seed: 9, clip: "c", stream: "s"))
        let xs = (0..<50).map { _ in a.uniform() }
        #expect(xs == (0..<50).map { _ in b.uniform() })
        var c = a  // a value copy continues identically
        #expect((0..<10).map { _ in a.normal() } == (0..<10).map { _ in c.normal() })
    }

    @Test func streamsAndSubstreamsDiffer() {
        var a = RandomStream(seed: 9, clip: "c", stream: "s")
        var b = RandomStream(seed: 9, clip: "c", stream: "t")
        var c = a.substream(1)
        #expect(c.substreamID == 1 && c.key == a.key)
        let xa = (0..<8).map { _ in a.nextUInt32() }
        #expect(xa != (0..<8).map { _ in b.nextUInt32() })
        #expect(xa != (0..<8).map { _ in c.nextUInt32() })
        var d = a.substream(0)
        #expect(xa == (0..<8).map { _ in d.nextUInt32() })
    }

    @Test func uniformWithEqualBoundsStillConsumesOneDraw() {
        var a = RandomStream(seed: 1, clip: "c", stream: "s")
        var b = a
        #expect(a.uniform(0.25, 0.25) == 0.25)
        _ = b.uniform()
        #expect(a.nextUInt32() == b.nextUInt32())
        #expect((0..<100).allSatisfy { _ in (2.0...5.0).contains(a.uniform(2, 5)) })
    }

    /// One sequential fill against many uneven, unaligned chunks filled concurrently.
    @Test(arguments: [FieldKind.normal, .uniform, .poisson])
    func fieldIsIndependentOfChunkingAndThreads(_ kind: FieldKind) {
        let n = 5003
        let start = 13  // an unaligned field offset
        let sequential = kind.fill(count: n, start: start, key: Self.key, substream: 3)
        var parallel = [Float](repeating: .nan, count: n)
        let cuts = [0, 1, 5, 37, 38, 100, 1031, 2048, 4999, n]
        parallel.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let out = buf
            DispatchQueue.concurrentPerform(iterations: cuts.count - 1) { c in
                let lo = cuts[c], hi = cuts[c + 1]
                let part = kind.fill(count: hi - lo, start: start + lo, key: Self.key, substream: 3)
                for j in 0..<part.count { out[lo + j] = part[j] }
            }
        }
        #expect(parallel.map(\.bitPattern) == sequential.map(\.bitPattern))
        // Element-by-element agrees too.
        for i in [0, 1, 2, 3, 4, 31, 32, 33, 4999] {
            #expect(kind.fill(count: 1, start: start + i, key: Self.key, substream: 3)[0].bitPattern
                    == sequential[i].bitPattern)
        }
    }

    @Test(arguments: [FieldKind.normal, .uniform, .poisson])
    func fieldsDifferAcrossKeysAndSubstreams(_ kind: FieldKind) {
        let a = kind.fill(count: 256, start: 0, key: Self.key, substream: 0)
        let b = kind.fill(count: 256, start: 0, key: Self.key, substream: 1)
        let c = kind.fill(count: 256, start: 0, key: Self.key.derived("x"), substream: 0)
        let differentB = zip(a, b).filter { $0 != $1 }.count
        let differentC = zip(a, c).filter { $0 != $1 }.count
        // Poisson(40) repeats values by chance (P(equal) ≈ 4.5 %); continuous fields essentially never do.
        #expect(differentB > 200 && differentC > 200)
    }

    @Test func poissonFieldMatchesPerElementCall() {
        let lambdas: [Float] = (0..<100).map { Float($0) * 0.37 }  // inversion and PTRS, plus λ = 0
        let bulk = FieldKind.poissonFill(lambdas, start: 1000, key: Self.key, substream: 5)
        for (j, l) in lambdas.enumerated() {
            #expect(RandomField.poisson(lambda: l, key: Self.key, substream: 5, element: 1000 + j) == bulk[j])
        }
        #expect(bulk[0] == 0)
    }

    @Test func poissonLevelTableMatchesPerElementCall() {
        let lambdas: [Float] = (0..<256).map { Float($0) / 255 * 64 }
        let levels: [UInt8] = (0..<700).map { UInt8(($0 * 37) % 256) }
        var out = [Float](repeating: .nan, count: levels.count)
        out.withUnsafeMutableBufferPointer { o in
            levels.withUnsafeBufferPointer { l in
                RandomField.fillPoisson(o, levels: l, lambdas: lambdas, key: Self.key, substream: 6, start: 3)
            }
        }
        let single = levels.indices.map {
            RandomField.poisson(lambda: lambdas[Int(levels[$0])], key: Self.key, substream: 6, element: 3 + $0)
        }
        #expect(out == single)
    }
}

enum FieldKind: Sendable {
    case normal, uniform, poisson

    func fill(count: Int, start: Int, key: RandomKey, substream: UInt64) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        switch self {
        case .normal:
            out.withUnsafeMutableBufferPointer { RandomField.fillNormal($0, key: key, substream: substream, start: start) }
        case .uniform:
            out.withUnsafeMutableBufferPointer { RandomField.fillUniform($0, key: key, substream: substream, start: start) }
        case .poisson:
            out = Self.poissonFill([Float](repeating: 40, count: count), start: start, key: key, substream: substream)
        }
        return out
    }

    static func poissonFill(_ lambdas: [Float], start: Int, key: RandomKey, substream: UInt64) -> [Float] {
        var out = [Float](repeating: .nan, count: lambdas.count)
        out.withUnsafeMutableBufferPointer { o in
            lambdas.withUnsafeBufferPointer { l in
                RandomField.fillPoisson(o, lambda: l, key: key, substream: substream, start: start)
            }
        }
        return out
    }
}
