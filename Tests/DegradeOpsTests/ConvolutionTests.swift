import DegradeMedia
import DegradeOps
import Testing

@Suite struct ConvolutionBehaviour {
    static let kernels: [(String, BlurKernel)] = {
        func make(_ shape: KernelShape, _ size: Int) -> BlurKernel { try! BlurKernel(shape: shape, size: size) }
        return [
            ("gaussian 7", make(.gaussian(sigmaX: 1.8, sigmaY: 0.9, theta: 0.4), 7)),
            ("sinc 13", make(.sinc(omega: 1.1), 13)),
            ("plateau 21", make(.plateau(sigmaX: 3, sigmaY: 1.5, theta: -0.8, beta: 1.3), 21)),
            ("generalized 21", make(.generalizedGaussian(sigmaX: 2.5, sigmaY: 2.5, theta: 0, beta: 0.6), 21)),
        ]
    }()

    @Test func deltaIsTheIdentity() throws {
        let image = TestImages.random(width: 13, height: 11, seed: 1)
        let delta = try BlurKernel(shape: .delta, size: 7)
        #expect(Convolution.applyDirect(delta, to: image) == image)
        #expect(TestImages.maxAbsDifference(Convolution.applyFFT(delta, to: image), image) < 1e-6)
        #expect(TestImages.maxAbsDifference(Convolution.apply(delta, to: image), image) < 1e-6)
    }

    @Test func directAndFFTAgree() {
        let image = TestImages.random(width: 37, height: 29, seed: 2)
        for (name, kernel) in Self.kernels {
            let direct = Convolution.applyDirect(kernel, to: image)
            let fft = Convolution.applyFFT(kernel, to: image)
            #expect(TestImages.maxAbsDifference(direct, fft) < 1e-5, "\(name)")
        }
    }

    @Test func directAndFFTAgreeWhenTheKernelIsLargerThanTheImage() {
        let image = TestImages.random(width: 5, height: 6, seed: 3)
        let (_, kernel) = Self.kernels[2]
        let direct = Convolution.applyDirect(kernel, to: image)
        #expect(TestImages.maxAbsDifference(direct, Convolution.applyFFT(kernel, to: image)) < 1e-5)
        #expect(TestImages.maxAbsDifference(direct, TestImages.naiveCorrelation(kernel.weights, size: 21, image)) < 1e-5)
    }

    /// Random taps without any symmetry, so a flipped (convolution instead of correlation) kernel or a wrong
    /// border rule would show.
    @Test(arguments: [(9, 7, 5), (5, 6, 21), (1, 4, 3), (17, 1, 5)])
    func matchesTheNaiveReflect101Reference(width: Int, height: Int, size: Int) throws {
        let image = TestImages.random(width: width, height: height, channels: 2, seed: UInt64(width * 100 + size))
        let raw = TestImages.random(width: size, height: size, channels: 1, seed: 99).pixels.map { $0 - 0.3 }
        // Scaled to Σ|K| = 1 so outputs stay in the unit range the tolerance is meant for.
        let norm = raw.map(abs).reduce(0, +)
        let taps = raw.map { $0 / norm }
        let kernel = try BlurKernel(size: size, weights: taps)
        let reference = TestImages.naiveCorrelation(taps, size: size, image)
        #expect(TestImages.maxAbsDifference(Convolution.applyDirect(kernel, to: image), reference) < 1e-5)
        #expect(TestImages.maxAbsDifference(Convolution.applyFFT(kernel, to: image), reference) < 1e-5)
    }

    @Test func correlatesWithoutFlippingAndReflectsWithoutRepeatingTheEdge() throws {
        // Only the tap at offset (x = −1, y = 0) is set: out(x, y) = I(x − 1, y), and I(−1, y) = I(1, y).
        var taps = [Float](repeating: 0, count: 9)
        taps[1 * 3 + 0] = 1
        let kernel = try BlurKernel(size: 3, weights: taps)
        let image = Image(width: 4, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6, 7, 8])
        let expected: [Float] = [2, 1, 2, 3, 6, 5, 6, 7]
        #expect(Convolution.applyDirect(kernel, to: image).pixels == expected)
        let fft = Convolution.applyFFT(kernel, to: image).pixels
        for (a, b) in zip(fft, expected) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func zeroPaddingAKernelDoesNotChangeTheResult() throws {
        let shape = KernelShape.gaussian(sigmaX: 1.4, sigmaY: 2, theta: 1)
        let image = TestImages.random(width: 20, height: 18, seed: 4)
        let small = try BlurKernel(shape: shape, size: 7)
        let padded = try BlurKernel(shape: shape, size: 7, padTo: 21)
        #expect(Convolution.applyDirect(padded, to: image) == Convolution.applyDirect(small, to: image))
        #expect(TestImages.maxAbsDifference(Convolution.applyFFT(padded, to: image), Convolution.applyDirect(small, to: image)) < 1e-5)
    }

    @Test func blurOfAConstantIsTheConstant() {
        let image = TestImages.constant(0.625, width: 24, height: 19)
        for (name, kernel) in Self.kernels {
            #expect(TestImages.maxAbsDifference(Convolution.applyDirect(kernel, to: image), image) < 1e-5, "\(name)")
            #expect(TestImages.maxAbsDifference(Convolution.applyFFT(kernel, to: image), image) < 1e-5, "\(name)")
        }
    }

    @Test func applyMatchesBothPathsForSmallAndLargeKernels() {
        let image = TestImages.random(width: 40, height: 33, seed: 5)
        for (name, kernel) in Self.kernels {
            let direct = Convolution.applyDirect(kernel, to: image)
            #expect(TestImages.maxAbsDifference(Convolution.apply(kernel, to: image), direct) < 1e-5, "\(name)")
        }
    }

    @Test func separableEqualsTheOuterProductKernel() throws {
        let image = TestImages.random(width: 23, height: 9, seed: 6)
        let h = BlurKernel.gaussian1D(size: 7, sigma: 1.3)
        let v = BlurKernel.gaussian1D(size: 11, sigma: 0)
        // v hᵀ as an 11×11 kernel (h zero-padded to 11 columns).
        var outer = [Float](repeating: 0, count: 121)
        for j in 0..<11 { for i in 0..<7 { outer[j * 11 + i + 2] = v[j] * h[i] } }
        let reference = TestImages.naiveCorrelation(outer, size: 11, image)
        let separable = Convolution.applySeparable(rowTaps: h, columnTaps: v, to: image)
        #expect(TestImages.maxAbsDifference(separable, reference) < 1e-5)
        // Kernel longer than the image height: repeated reflection in the column pass.
        let tall = Convolution.applySeparable(rowTaps: [1], columnTaps: BlurKernel.gaussian1D(size: 21, sigma: 3), to: image)
        var column = [Float](repeating: 0, count: 21 * 21)
        let g = BlurKernel.gaussian1D(size: 21, sigma: 3)
        for j in 0..<21 { column[j * 21 + 10] = g[j] }
        #expect(TestImages.maxAbsDifference(tall, TestImages.naiveCorrelation(column, size: 21, image)) < 1e-5)
    }
}
