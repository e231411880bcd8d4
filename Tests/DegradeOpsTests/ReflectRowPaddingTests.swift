import Testing
@testable import DegradeOps

/// The row padding the separable row pass builds once per call and reuses for every row.
@Suite struct ReflectRowPaddingBehaviour {
    /// `dst[s] = src[reflect101(s − left)]` up to the padded width, zeros up to the stride, for every row it fills.
    @Test(arguments: [(width: 7, left: 3, pad: 6), (width: 3, left: 25, pad: 50), (width: 1, left: 2, pad: 4),
                      (width: 10, left: -2, pad: 0), (width: 16, left: 0, pad: 4)])
    func fillsEveryRowWithItsReflection(width: Int, left: Int, pad: Int) {
        let paddedWidth = max(width + pad, 1)
        let stride = paddedWidth + 5
        let padding = ReflectRowPadding(width: width, left: left, paddedWidth: paddedWidth, stride: stride)
        for row in 0..<3 {
            let src = (0..<width).map { Float(row * 100 + $0) }
            var dst = [Float](repeating: .nan, count: stride)
            src.withUnsafeBufferPointer { s in
                dst.withUnsafeMutableBufferPointer { d in padding.fill(d.baseAddress!, from: s.baseAddress!) }
            }
            let expected = (0..<paddedWidth).map { src[reflect101($0 - left, count: width)] }
                + [Float](repeating: 0, count: stride - paddedWidth)
            #expect(dst == expected, "row \(row), width \(width), left \(left)")
        }
    }

    /// A fill of some columns writes exactly what the whole fill writes there, and nothing elsewhere.
    @Test func fillingColumnsWritesOnlyThoseColumns() {
        let width = 9, left = 4, paddedWidth = 17, stride = 21
        let padding = ReflectRowPadding(width: width, left: left, paddedWidth: paddedWidth, stride: stride)
        let src = (0..<width).map { Float($0 + 1) }
        var whole = [Float](repeating: .nan, count: stride)
        src.withUnsafeBufferPointer { s in whole.withUnsafeMutableBufferPointer { padding.fill($0.baseAddress!, from: s.baseAddress!) } }
        for columns in [0..<3, 2..<7, 5..<14, 12..<19, 16..<21, 0..<21, 7..<7, 18..<40] {
            var part = [Float](repeating: -7, count: stride)
            src.withUnsafeBufferPointer { s in
                part.withUnsafeMutableBufferPointer { padding.fill($0.baseAddress!, from: s.baseAddress!, columns: columns) }
            }
            for i in 0..<stride {
                #expect(part[i] == (columns.contains(i) ? whole[i] : -7), "columns \(columns), index \(i)")
            }
        }
    }
}
