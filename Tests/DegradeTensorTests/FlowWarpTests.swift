import Testing
@testable import DegradeTensor

extension TensorTests {
    /// `flowWarp` (grid_sample bilinear, align_corners=True, zeros / border padding), the general bilinear resize
    /// SPyNet needs, and the per-channel affine ops: values and finite-difference gradients.
    @Suite struct FlowWarpTests {
        /// Flow values `k + u` with whole `k` in `range` and `u ∈ [0.2, 0.8]`: sample positions stay away from
        /// pixel centres, where bilinear interpolation has kinks that a finite difference would straddle.
        static func offGridFlow(_ shape: [Int], seed: UInt64, range: ClosedRange<Int>) -> Tensor {
            var g = SplitMix64(seed: seed)
            let whole = Tensor.uniform(shape, low: Float(range.lowerBound), high: Float(range.upperBound) + 0.999, using: &g)
            let fraction = Tensor.uniform(shape, low: 0.2, high: 0.8, using: &g)
            return Tensor(shape: shape, scalars: zip(whole.scalars, fraction.scalars).map { $0.rounded(.down) + $1 })
        }

        @Test func zeroFlowIsTheIdentity() {
            let x = Support.random([2, 3, 5, 7], seed: 1)
            for padding in [FlowWarpPadding.zeros, .border] {
                let y = x.flowWarp(Tensor.zeros([2, 2, 5, 7]), padding: padding)
                #expect(Support.maxAbsDifference(y.scalars, x.scalars.map(Double.init)) < 1e-6)
            }
        }

        @Test func wholePixelShiftMovesValuesAndPadsTheEdge() {
            // flow x = +1: output (i, j) reads input (i, j + 1); the last column reads outside the frame.
            let x = Tensor(shape: [1, 1, 2, 3], scalars: [1, 2, 3, 4, 5, 6])
            let flow = Tensor(shape: [1, 2, 2, 3], scalars: [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
            #expect(x.flowWarp(flow, padding: .zeros).scalars.map { ($0 * 1e5).rounded() / 1e5 } == [2, 3, 0, 5, 6, 0])
            #expect(x.flowWarp(flow, padding: .border).scalars.map { ($0 * 1e5).rounded() / 1e5 } == [2, 3, 3, 5, 6, 6])
        }

        @Test func halfPixelMixesNeighbours() {
            // (0.5, 0.5) from pixel (0, 0): the mean of the 2×2 block; at the bottom-right corner three of the four
            // taps are outside, so zeros padding gives a quarter of the corner value.
            let x = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
            let flow = Tensor(shape: [1, 2, 2, 2], repeating: 0.5)
            let y = x.flowWarp(flow, padding: .zeros).scalars
            #expect(abs(y[0] - 2.5) < 1e-6)
            #expect(abs(y[3] - 1) < 1e-6)
        }

        @Test func gradientsInsideTheFrame() {
            let x = Support.random([2, 3, 6, 5], seed: 2)
            let flow = FlowWarpTests.offGridFlow([2, 2, 6, 5], seed: 3, range: -2...1)
            for padding in [FlowWarpPadding.zeros, .border] {
                #expect(Support.gradientError([x, flow], step: 1e-3, samples: 60) { $0[0].flowWarp($0[1], padding: padding) } < 2e-3)
            }
        }

        @Test func gradientsAtTheBorderAndForFlowsLeavingTheFrame() {
            // Flows of up to ±8 px on a 5×6 frame: many samples partly or wholly outside, where zeros padding drops
            // taps and border padding clamps the position (zero gradient with respect to the flow there).
            let x = Support.random([1, 2, 5, 6], seed: 4)
            let flow = FlowWarpTests.offGridFlow([1, 2, 5, 6], seed: 5, range: -8...7)
            for padding in [FlowWarpPadding.zeros, .border] {
                #expect(Support.gradientError([x, flow], step: 1e-3, samples: 60) { $0[0].flowWarp($0[1], padding: padding) } < 2e-3)
            }
            // Wholly outside with zeros padding: output 0, no gradient anywhere.
            let far = Tensor(shape: [1, 2, 5, 6], repeating: 40).requiringGradient()
            let input = x.requiringGradient()
            let y = input.flowWarp(far)
            #expect(y.scalars.allSatisfy { $0 == 0 })
            let g = y.backward(seed: Support.random(y.shape, seed: 6))
            #expect(g[input]!.scalars.allSatisfy { $0 == 0 } && g[far]!.scalars.allSatisfy { $0 == 0 })
        }

        @Test func nonFiniteFlowReadsNothingAndDoesNotTrap() {
            let x = Support.random([1, 1, 3, 3], seed: 7)
            let flow = Tensor(shape: [1, 2, 3, 3], repeating: .nan)
            #expect(x.flowWarp(flow).scalars.allSatisfy { $0 == 0 })
        }

        @Test func resizeMatchesTheIntegerUpsamplingAndAlignCornersEndpoints() {
            let x = Support.random([1, 2, 3, 4], seed: 8)
            #expect(x.resizeBilinear(height: 6, width: 8, alignCorners: false).scalars == x.upsampleBilinear(scale: 2).scalars)
            // align_corners=True ×2 of [0, 1]: samples at 0, 1/3, 2/3, 1.
            let ramp = Tensor(shape: [1, 1, 1, 2], scalars: [0, 1]).resizeBilinear(height: 1, width: 4, alignCorners: true)
            #expect(Support.maxAbsDifference(ramp.scalars, [0, 1.0 / 3, 2.0 / 3, 1]) < 1e-6)
            // Same size, align_corners=False: the identity (SPyNet's resize of a multiple of 32).
            #expect(x.resizeBilinear(height: 3, width: 4, alignCorners: false).scalars == x.scalars)
        }

        @Test func resizeGradients() {
            let x = Support.random([2, 1, 3, 5], seed: 9)
            #expect(Support.gradientError([x]) { $0[0].resizeBilinear(height: 6, width: 10, alignCorners: true) } < 1e-3)
            #expect(Support.gradientError([x]) { $0[0].resizeBilinear(height: 4, width: 7, alignCorners: false) } < 1e-3)
            #expect(Support.gradientError([x]) { $0[0].resizeBilinear(height: 2, width: 3, alignCorners: false) } < 1e-3)
        }

        @Test func channelOps() {
            let x = Support.random([2, 3, 2, 2], seed: 10)
            let y = x.normalizedChannels(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
            #expect(y.scalars[4] == (x.scalars[4] - 0.456) / 0.224)
            #expect(Support.gradientError([x]) { $0[0].normalizedChannels(mean: [0.1, 0.2, 0.3], std: [0.5, 2, 0.25]) } < 1e-3)
            #expect(Support.gradientError([x]) { $0[0].scaledChannels([0.5, -2, 3]) } < 1e-3)
        }
    }
}
