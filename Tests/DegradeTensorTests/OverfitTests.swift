import Testing
@testable import DegradeTensor

extension TensorTests {
    /// The pieces working together: a two-layer convolutional net trained with Adam memorises a fixed pair.
    @Suite struct OverfitTests {
        @Test func twoLayerNetFitsAFixedTarget() {
            var g = SplitMix64(seed: 7)
            let first = Conv2d(inChannels: 2, outChannels: 8, kernelSize: 3, activation: .leakyReLU(slope: 0.1),
                               name: "first", using: &g)
            let second = Conv2d(inChannels: 8, outChannels: 2, kernelSize: 3, name: "second", using: &g)
            let parameters = first.parameters + second.parameters
            let input = Tensor.uniform([1, 2, 6, 6], using: &g)
            let target = Tensor.uniform([1, 2, 6, 6], using: &g)
            let adam = Adam(parameters: parameters, configuration: .init(learningRate: 1e-2))
            let ema = ExponentialMovingAverage(parameters: parameters, decay: 0.9)

            func loss() -> Tensor { Loss.mse(second(first(input)), target) }
            let initial = GradientMode.withoutGradients { loss().scalar }
            for _ in 0..<300 {
                var grads = loss().backward()
                grads.clipByGlobalNorm(10, parameters: parameters)
                adam.step(grads)
                ema.update()
            }
            let final = GradientMode.withoutGradients { loss().scalar }
            #expect(final < initial / 10, "loss \(initial) → \(final)")
            ema.swapWithParameters()
            let averaged = GradientMode.withoutGradients { loss().scalar }
            #expect(averaged < initial / 10, "EMA weights: loss \(initial) → \(averaged)")
        }
    }
}
