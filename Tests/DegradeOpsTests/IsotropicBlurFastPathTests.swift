import DegradeMedia
import Testing
@testable import DegradeOps

/// Isotropic Gaussian kernels are filtered in two 1-D passes; that must match the 2-D filter to 1e-6.
@Suite struct IsotropicBlurFastPath {
    @Test(arguments: [(7, 0.2), (7, 1.1), (13, 2.0), (21, 0.6), (21, 3.0)])
    func separablePassesMatchTheTwoDimensionalKernel(size: Int, sigma: Double) throws {
        let kernel = try BlurKernel(shape: .gaussian(sigmaX: sigma, sigmaY: sigma, theta: 0.7), size: size, padTo: 21)
        let taps = try #require(kernel.separableTaps)
        #expect(taps.count == size)
        let image = TestImages.random(width: 37, height: 29, seed: 11)
        let fast = Convolution.apply(kernel, to: image)
        let direct = Convolution.applyDirect(kernel, to: image)
        #expect(TestImages.maxAbsDifference(fast, direct) <= 1e-6)
        #expect(TestImages.maxAbsDifference(fast, TestImages.naiveCorrelation(kernel.weights, size: kernel.size, image)) <= 1e-6)
    }

    @Test func onlyIsotropicGaussiansAreSeparable() throws {
        let notSeparable: [KernelShape] = [
            .gaussian(sigmaX: 1, sigmaY: 2, theta: 0.3),
            .generalizedGaussian(sigmaX: 1, sigmaY: 1, theta: 0, beta: 2),
            .plateau(sigmaX: 1, sigmaY: 1, theta: 0, beta: 1.5),
            .sinc(omega: 2),
        ]
        for shape in notSeparable { #expect(try BlurKernel(shape: shape, size: 9).separableTaps == nil) }
        let iso = try BlurKernel(shape: .gaussian(sigmaX: 1, sigmaY: 1, theta: 0), size: 9)
        #expect(iso.separableTaps != nil)
        // Kernel noise breaks the product form.
        #expect(iso.multipliedByNoise([Float](repeating: 1.01, count: 81)).separableTaps == nil)
    }
}
