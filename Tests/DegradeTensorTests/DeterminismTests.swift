import Testing
@testable import DegradeTensor

extension TensorTests {
    /// With a fixed thread count, a forward and backward pass gives bitwise identical results every run.
    @Suite struct DeterminismTests {
        /// One training step of a small residual net big enough (65k-element activations, tiled convolutions)
        /// for every parallel loop to split: loss bits, then every gradient's bits.
        static func step() -> [[Float]] {
            var g = SplitMix64(seed: 42)
            let c1 = Conv2d(inChannels: 3, outChannels: 16, kernelSize: 3, activation: .leakyReLU(slope: 0.1),
                            name: "c1", using: &g)
            let c2 = Conv2d(inChannels: 16, outChannels: 12, kernelSize: 3, name: "c2", using: &g)
            let c3 = Conv2d(inChannels: 3, outChannels: 3, kernelSize: 1, name: "c3", using: &g)
            let lq = Tensor.uniform([2, 3, 64, 64], using: &g)
            let gt = Tensor.uniform([2, 3, 128, 128], using: &g)
            let features = c1(lq)
            let up = c2(features).pixelShuffle(2)                    // [2, 3, 128, 128]
            let out = c3(up).relu() + lq.upsampleBilinear(scale: 2)
            let loss = Loss.charbonnier(out, gt) + Loss.l1(out.downsampleArea(factor: 2), lq) * 0.5
            let grads = loss.backward()
            return [[loss.scalar]] + (c1.parameters + c2.parameters + c3.parameters).map { grads[$0]!.scalars }
        }

        @Test(arguments: [1, 2])
        func repeatedRunsAreBitwiseIdentical(threads: Int) {
            let (first, second) = ComputeContext(threads: threads).run { (Self.step(), Self.step()) }
            #expect(first.count == 7)
            for (a, b) in zip(first, second) {
                #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
            }
        }

        @Test func contextSwitchesAndRestores() {
            let before = ComputeContext.current
            ComputeContext(threads: 2).run { #expect(ComputeContext.current.threads == 2) }
            #expect(ComputeContext.current == before)
        }
    }
}
