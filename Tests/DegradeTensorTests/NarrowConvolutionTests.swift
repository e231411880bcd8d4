import Testing
@testable import DegradeTensor

extension TensorTests {
    /// `conv2d` of layers with ≤ 4 outputs from ≥ 8 inputs (the direct forward sum) against the direct formulas:
    /// 3×3, a 7×7 kernel wider than the image (whole taps fall outside), and 1×1, with bias and activation. The plain
    /// forward pass and the gradients are checked in `ConvolutionTests`, which runs these shapes too.
    @Suite struct NarrowConvolutionTests {
        typealias Direct = ConvolutionTests

        static let shapes: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, k: Int)] = [
            (2, 8, 3, 7, 5, 3), (1, 9, 2, 6, 5, 7), (2, 8, 1, 5, 4, 1), (1, 16, 4, 9, 11, 3),
        ]

        @Test func appliesOnlyToFewOutputsFromManyInputs() {
            for s in Self.shapes {
                #expect(NarrowConvolution.applies(ConvolutionShape(images: s.n, inChannels: s.cin, outChannels: s.cout,
                                                                   height: s.h, width: s.w, kernel: s.k)))
            }
            let wide = ConvolutionShape(images: 1, inChannels: 32, outChannels: 5, height: 8, width: 8, kernel: 3)
            #expect(!NarrowConvolution.applies(wide))
            #expect(!NarrowConvolution.applies(ConvolutionShape(images: 1, inChannels: 3, outChannels: 3, height: 8, width: 8,
                                                                kernel: 3)))
        }

        @Test(arguments: shapes.indices)
        func fusedActivationMatchesDirectConvolution(_ index: Int) {
            let s = Self.shapes[index]
            let x = Support.random([s.n, s.cin, s.h, s.w], seed: 41)
            let w = Support.random([s.cout, s.cin, s.k, s.k], seed: 42)
            let b = Support.random([s.cout], seed: 43)
            let expected = Direct.direct(x, w, b)
            let leaky = x.conv2d(weight: w, bias: b, activation: .leakyReLU(slope: 0.1)).scalars
            #expect(Support.maxAbsDifference(leaky, expected.map { $0 > 0 ? $0 : 0.1 * $0 }) < 1e-5)
        }
    }
}
