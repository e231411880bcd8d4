import Testing
@testable import DegradeOps

/// The folded, four-rows-at-a-time column pass of the separable filters.
@Suite struct SymmetricColumnPass {
    static let taps = BlurKernel.gaussian1D(size: 9, sigma: 1.7)

    /// `rows + taps − 1` source rows of 32 samples.
    static func source(rows: Int) -> [Float] {
        let image = TestImages.random(width: 32, height: rows + taps.count - 1, channels: 1, seed: 5)
        return image.pixels
    }

    func run(_ src: [Float], rows: Int, firstRow: Int = 0) -> [Float] {
        var out = [Float](repeating: .nan, count: rows * 32)
        src.withUnsafeBufferPointer { s in
            Self.taps.withUnsafeBufferPointer { t in
                out.withUnsafeMutableBufferPointer { o in
                    correlateColumnsSymmetric(rows: rows, into: o.baseAddress!, outStride: 32, source: s.baseAddress! + firstRow * 32,
                                              stride: 32, taps: t.baseAddress!, count: t.count, width: 32)
                }
            }
        }
        return out
    }

    @Test func rowsDoNotDependOnTheirBlock() {
        let src = Self.source(rows: 7)
        let together = run(src, rows: 7)
        let oneByOne = (0..<7).flatMap { run(src, rows: 1, firstRow: $0) }
        #expect(together.map(\.bitPattern) == oneByOne.map(\.bitPattern))
    }

    @Test func matchesThePlainSum() {
        let src = Self.source(rows: 6)
        let out = run(src, rows: 6)
        for r in 0..<6 {
            for x in 0..<32 {
                var sum = 0.0
                for j in 0..<Self.taps.count { sum += Double(Self.taps[j]) * Double(src[(r + j) * 32 + x]) }
                #expect(abs(Double(out[r * 32 + x]) - sum) < 1e-6)
            }
        }
    }

    @Test func symmetryIsDetectedExactly() {
        #expect(isSymmetric(Self.taps))
        #expect(!isSymmetric([0.2, 0.5, 0.3]))
        #expect(!isSymmetric([0.5, 0.5]))
    }
}
