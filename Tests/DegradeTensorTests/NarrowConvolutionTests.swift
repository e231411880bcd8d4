import Testing
@testable import DegradeTensor

extension TensorTests {
    /// The direct forward sum for layers with ≤ 4 outputs from ≥ 8 inputs against the direct formulas:
    /// 3×3, a 7×7 kernel wider than the image (whole taps fall outside), and 1×1, with bias and activation. The plain
    /// forward pass and the gradients of `conv2d` (mostly the direct kernels for these shapes) are in `ConvolutionTests`.
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
            let (x, w, b) = Support.convolutionOperands(s, seed: 41)
            let expected = Direct.direct(x, w, b)
            // Called directly: conv2d sends most of these shapes to DirectConvolution.
            let shape = ConvolutionShape(images: s.n, inChannels: s.cin, outChannels: s.cout, height: s.h, width: s.w,
                                         kernel: s.k)
            let (plain, leaky) = (Tensor(uninitialized: [s.n, s.cout, s.h, s.w]), Tensor(uninitialized: [s.n, s.cout, s.h, s.w]))
            NarrowConvolution.forward(shape, input: x.pointer, weights: w.pointer, bias: b.pointer, slope: nil,
                                      output: plain.pointer)
            NarrowConvolution.forward(shape, input: x.pointer, weights: w.pointer, bias: b.pointer, slope: 0.1,
                                      output: leaky.pointer)
            #expect(Support.maxAbsDifference(plain.scalars, expected) < 1e-5)
            #expect(Support.maxAbsDifference(leaky.scalars, expected.map { $0 > 0 ? $0 : 0.1 * $0 }) < 1e-5)
        }
    }
}
