import Testing
@testable import DegradeTensor

extension TensorTests {
    /// The direct SIMD convolution (forward, and the input gradient through it) against the Double references of
    /// `ConvolutionTests`, across borders, widths that are not a multiple of 8, output channels that are not a
    /// multiple of 4, planes smaller than the kernel, several row bands, and k = 1, 3, 7.
    @Suite struct DirectConvolutionTests {
        typealias Reference = ConvolutionTests

        static let shapes: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, k: Int)] = [
            (2, 3, 5, 7, 5, 3), (1, 4, 8, 9, 13, 3), (3, 2, 4, 1, 1, 3), (2, 5, 3, 2, 2, 7), (1, 3, 6, 11, 9, 7),
            (2, 6, 7, 5, 17, 1), (1, 3, 64, 23, 100, 3),
        ]

        static func shape(_ s: (n: Int, cin: Int, cout: Int, h: Int, w: Int, k: Int)) -> ConvolutionShape {
            ConvolutionShape(images: s.n, inChannels: s.cin, outChannels: s.cout, height: s.h, width: s.w, kernel: s.k)
        }

        static func directForward(_ x: Tensor, _ w: Tensor, _ b: Tensor?, slope: Float?) -> Tensor {
            let s = ConvolutionShape(images: x.shape[0], inChannels: x.shape[1], outChannels: w.shape[0],
                                     height: x.shape[2], width: x.shape[3], kernel: w.shape[2])
            let y = Tensor(uninitialized: [s.images, s.outChannels, s.height, s.width])
            DirectConvolution.forward(s, input: x.pointer, weights: w.pointer, bias: b?.pointer, slope: slope,
                                      output: y.pointer)
            return y
        }

        @Test func bandsSplitTheTallShape() {
            #expect(DirectConvolution.Layout(shape: Self.shape(Self.shapes[6])).bands == 3)
        }

        @Test(arguments: shapes.indices)
        func forwardMatchesDirectSums(_ index: Int) {
            let s = Self.shapes[index]
            let (x, w, b) = Support.convolutionOperands(s, seed: 51)
            let expected = Reference.direct(x, w, b)
            #expect(Support.maxAbsDifference(Self.directForward(x, w, b, slope: nil).scalars, expected) < 1e-5)
            let leaky = Self.directForward(x, w, b, slope: 0.1).scalars
            #expect(Support.maxAbsDifference(leaky, expected.map { $0 > 0 ? $0 : 0.1 * $0 }) < 1e-5)
            #expect(Support.maxAbsDifference(Self.directForward(x, w, nil, slope: nil).scalars,
                                             Reference.direct(x, w, nil)) < 1e-5)
        }

        @Test(arguments: shapes.indices)
        func sameBitsOnOneAndTwoThreads(_ index: Int) {
            let s = Self.shapes[index]
            let (x, w, b) = Support.convolutionOperands(s, seed: 54)
            let one = ComputeContext(threads: 1).run { Self.directForward(x, w, b, slope: 0.1).scalars }
            let two = ComputeContext(threads: 2).run { Self.directForward(x, w, b, slope: 0.1).scalars }
            #expect(one == two)
        }

        /// conv2d's input gradient, which runs the direct kernel with flipped weights where it pays.
        @Test(arguments: shapes.indices)
        func gradientsMatchDirectFormulas(_ index: Int) {
            let s = Self.shapes[index]
            let x = Support.random([s.n, s.cin, s.h, s.w], seed: 57).requiringGradient()
            let w = Parameter(Support.random([s.cout, s.cin, s.k, s.k], seed: 58))
            let d = Support.random([s.n, s.cout, s.h, s.w], seed: 59)
            let grads = x.conv2d(weight: w.value).backward(seed: d)
            let expected = Reference.directGradients(x, w.value, d)
            #expect(Support.maxAbsDifference(grads[x]!.scalars, expected.x) < 1e-4)
            #expect(Support.maxAbsDifference(grads[w]!.scalars, expected.w) < 1e-3)
        }

        @Test(arguments: shapes.indices)
        func weightGradientMatchesDirectFormula(_ index: Int) {
            let s = Self.shapes[index]
            let x = Support.random([s.n, s.cin, s.h, s.w], seed: 63)
            let w = Support.random([s.cout, s.cin, s.k, s.k], seed: 64)
            let d = Support.random([s.n, s.cout, s.h, s.w], seed: 65)
            let expected = Reference.directGradients(x, w, d).w
            let compute = {
                let gw = Tensor(uninitialized: w.shape)
                DirectWeightGradient.compute(Self.shape(s), input: x.pointer, d: d.pointer, into: gw.pointer)
                return gw.scalars
            }
            let one = ComputeContext(threads: 1).run(compute)
            #expect(Support.maxAbsDifference(one, expected) < 1e-3)
            #expect(ComputeContext(threads: 2).run(compute) == one)
        }

        /// Large batches are padded a group of images at a time; one image per group gives the same bits.
        @Test func imageGroupsGiveTheSameBits() {
            let s = Self.shapes[0], g = Self.shape(s)
            let x = Support.random([s.n, s.cin, s.h, s.w], seed: 66)
            let w = Support.random([s.cout, s.cin, s.k, s.k], seed: 67)
            let d = Support.random([s.n, s.cout, s.h, s.w], seed: 68)
            #expect(DirectConvolution.imageGroups(g, maxPaddedFloats: 1).count == s.n)
            let outputs = [DirectConvolution.maxPaddedFloats, 1].map { cap in
                let y = Tensor(uninitialized: d.shape), gw = Tensor(uninitialized: w.shape)
                DirectConvolution.forward(g, input: x.pointer, weights: w.pointer, bias: nil, slope: nil,
                                          output: y.pointer, maxPaddedFloats: cap)
                DirectWeightGradient.compute(g, input: x.pointer, d: d.pointer, into: gw.pointer, maxPaddedFloats: cap)
                return y.scalars + gw.scalars
            }
            #expect(outputs[0] == outputs[1])
        }

        @Test func sevenBySevenGradientsMatchFiniteDifferences() {
            let x = Support.random([1, 3, 6, 9], seed: 60)
            let w = Support.random([5, 3, 7, 7], seed: 61)
            let b = Support.random([5], seed: 62)
            let error = Support.gradientError([x, w, b]) { t in t[0].conv2d(weight: t[1], bias: t[2]) }
            #expect(error < 1e-3)
        }
    }
}
