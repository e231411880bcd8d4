import Testing
@testable import DegradeTensor

extension TensorTests {
    /// The Winograd F(2×2, 3×3) kernels against the direct formulas: called directly on small shapes (odd sizes with
    /// half tiles at the right and bottom borders, two-pixel images, several chunks of tile rows, chunks spanning
    /// images), and through `conv2d` on a shape large enough to take that path for forward, input and weight
    /// gradients.
    @Suite struct WinogradConvolutionTests {
        typealias Direct = ConvolutionTests

        static let shapes: [(n: Int, cin: Int, cout: Int, h: Int, w: Int)] = [
            (2, 8, 9, 7, 5),    // odd height and width
            (1, 9, 8, 2, 3),    // a single tile row, half a tile wide at the right
            (1, 3, 2, 70, 70),  // 35 × 35 tiles: three chunks of 14 tile rows (512 tiles a chunk)
            (2, 2, 3, 40, 36),  // chunks of 28 tile rows across 20-row images (512 tiles a chunk)
        ]

        static func geometry(_ s: (n: Int, cin: Int, cout: Int, h: Int, w: Int)) -> ConvolutionShape {
            ConvolutionShape(images: s.n, inChannels: s.cin, outChannels: s.cout, height: s.h, width: s.w, kernel: 3)
        }

        @Test func appliesOnlyToWide3x3LayersOverManyPositions() {
            let wide = ConvolutionShape(images: 8, inChannels: 8, outChannels: 8, height: 32, width: 32, kernel: 3)
            #expect(WinogradConvolution.applies(wide))
            #expect(!WinogradConvolution.applies(wide.with(kernel: 1)))
            #expect(!WinogradConvolution.applies(wide.with(inChannels: 3)))
            #expect(!WinogradConvolution.applies(wide.with(outChannels: 3)))
            #expect(!WinogradConvolution.applies(wide.with(images: 2)))
            #expect(!WinogradConvolution.applies(wide, threads: 2))
            #expect(WinogradConvolution.applies(Self.geometry(Self.large)))
        }

        @Test(arguments: shapes.indices)
        func forwardMatchesDirectConvolution(_ index: Int) {
            let s = Self.shapes[index]
            let x = Support.random([s.n, s.cin, s.h, s.w], seed: 21)
            let w = Support.random([s.cout, s.cin, 3, 3], seed: 22)
            let b = Support.random([s.cout], seed: 23)
            let expected = Direct.direct(x, w, b)
            for slope: Float? in [nil, 0.1] {
                let y = Tensor(uninitialized: [s.n, s.cout, s.h, s.w])
                WinogradConvolution.forward(Self.geometry(s), input: x.pointer, weights: w.pointer, bias: b.pointer,
                                            slope: slope, output: y.pointer, tilesPerChunk: 512)
                let activated = expected.map { $0 > 0 || slope == nil ? $0 : 0.1 * $0 }
                #expect(Support.maxAbsDifference(y.scalars, activated) < 1e-5)
            }
        }

        @Test(arguments: shapes.indices)
        func weightGradientMatchesDirectFormula(_ index: Int) {
            let s = Self.shapes[index]
            let x = Support.random([s.n, s.cin, s.h, s.w], seed: 24)
            let w = Support.random([s.cout, s.cin, 3, 3], seed: 25)
            let d = Support.random([s.n, s.cout, s.h, s.w], seed: 27)
            let gw = Tensor(uninitialized: w.shape)
            WinogradConvolution.weightGradient(Self.geometry(s), input: x.pointer, d: d.pointer, into: gw.pointer,
                                               tilesPerChunk: 512)
            #expect(Support.maxAbsDifference(gw.scalars, Direct.directGradients(x, w, d).w) < 1e-3)
        }

        /// 2 × 8 → 8 channels at 65 × 64: 8320 positions (Winograd), odd height, 33 × 32 tiles per image.
        static let large = (n: 2, cin: 8, cout: 8, h: 65, w: 64)

        /// The batch (Winograd) against each image alone (4160 positions: im2col + GEMM, checked against the direct
        /// formulas in `ConvolutionTests`), which is also much faster than the direct formulas here.
        @Test func conv2dTakesTheWinogradPathWithMatchingGradients() {
            let s = Self.large
            let x = Support.random([s.n, s.cin, s.h, s.w], seed: 31).requiringGradient()
            let w = Parameter(Support.random([s.cout, s.cin, 3, 3], seed: 32))
            let b = Parameter(Support.random([s.cout], seed: 33))
            let d = Support.random([s.n, s.cout, s.h, s.w], seed: 34)
            let single = Self.geometry(s).with(images: 1)
            #expect(WinogradConvolution.applies(Self.geometry(s)) && !WinogradConvolution.applies(single))
            let y = x.conv2d(weight: w.value, bias: b.value, activation: .leakyReLU(slope: 0.1))
            let grads = y.backward(seed: d)
            var expectedY: [Double] = [], expectedX: [Double] = []
            var expectedW = [Double](repeating: 0, count: w.value.count), expectedB = [Double](repeating: 0, count: s.cout)
            for image in 0..<s.n {
                let xi = x.detached().select(axis: 0, index: image).reshaped([1, s.cin, s.h, s.w]).requiringGradient()
                let wi = w.value.detached().requiringGradient(), bi = b.value.detached().requiringGradient()
                let yi = xi.conv2d(weight: wi, bias: bi, activation: .leakyReLU(slope: 0.1))
                let gi = yi.backward(seed: d.select(axis: 0, index: image).reshaped([1, s.cout, s.h, s.w]))
                expectedY += yi.scalars.map(Double.init)
                expectedX += gi[xi]!.scalars.map(Double.init)
                for (k, v) in gi[wi]!.scalars.enumerated() { expectedW[k] += Double(v) }
                for (k, v) in gi[bi]!.scalars.enumerated() { expectedB[k] += Double(v) }
            }
            #expect(Support.maxAbsDifference(y.scalars, expectedY) < 1e-5)
            #expect(Support.maxAbsDifference(grads[x]!.scalars, expectedX) < 1e-4)
            #expect(Support.maxAbsDifference(grads[w]!.scalars, expectedW) < 1e-2)
            #expect(Support.maxAbsDifference(grads[b]!.scalars, expectedB) < 1e-2)
        }
    }
}

extension ConvolutionShape {
    func with(images: Int? = nil, kernel: Int? = nil, inChannels: Int? = nil, outChannels: Int? = nil)
        -> ConvolutionShape {
        ConvolutionShape(images: images ?? self.images, inChannels: inChannels ?? self.inChannels,
                         outChannels: outChannels ?? self.outChannels, height: height, width: width,
                         kernel: kernel ?? self.kernel)
    }
}
