import Testing
@testable import DegradeTensor

extension TensorTests {
    /// How `backward()` combines contributions and which leaves it reports.
    @Suite struct GradientAccumulationTests {
        @Test func aValueUsedSeveralTimesSumsItsContributions() {
            // y = Σ (x·x + x + x): ∂y/∂x = 2x + 2.
            let x = Tensor(shape: [3], scalars: [0.5, -1, 2]).requiringGradient()
            let g = (x * x + x + x).sum().backward()
            #expect(g[x]!.scalars == [3, 0, 6])
        }

        @Test func recurrentFeatureFeedingTwoBranches() {
            // h feeds a ReLU branch and a scaled branch, and the next step's convolution too.
            let x = Support.random([1, 2, 5, 5], seed: 1)
            let w = Support.random([2, 2, 3, 3], seed: 2)
            let error = Support.gradientError([x, w], step: 1e-3) { t in
                let h = t[0].conv2d(weight: t[1])
                let next = (h.leakyReLU(slope: 0.1) + h * 0.5).conv2d(weight: t[1])
                return Tensor.concat([next, h], axis: 1)
            }
            #expect(error < 2e-3)
        }

        @Test func weightSharedAcrossFramesGetsTheSumOfPerFrameGradients() {
            let w = Parameter(Support.random([3, 2, 3, 3], seed: 3), name: "w")
            let frames = (0..<3).map { Support.random([1, 2, 4, 4], seed: 10 + UInt64($0)) }
            let joint = frames.map { Loss.l1($0.conv2d(weight: w.value), Tensor.zeros([1, 3, 4, 4])) }
                .dropFirst().reduce(Loss.l1(frames[0].conv2d(weight: w.value), Tensor.zeros([1, 3, 4, 4])), +)
            let together = joint.backward()[w]!.scalars
            var separate = [Double](repeating: 0, count: w.count)
            for f in frames {
                let g = Loss.l1(f.conv2d(weight: w.value), Tensor.zeros([1, 3, 4, 4])).backward()[w]!.scalars
                for i in separate.indices { separate[i] += Double(g[i]) }
            }
            #expect(Support.maxAbsDifference(together, separate) < 1e-6)
        }

        @Test func onlyTrainableLeavesReceiveGradients() {
            let trained = Parameter(Support.random([2, 1, 1, 1], seed: 4), name: "trained")
            let frozen = Parameter(Support.random([2, 2, 1, 1], seed: 5), name: "frozen", isTrainable: false)
            let unused = Parameter(Support.random([2], seed: 6), name: "unused")
            let x = Support.random([1, 1, 2, 2], seed: 7)
            let grads = x.conv2d(weight: trained.value).conv2d(weight: frozen.value).sum().backward()
            #expect(grads[trained] != nil)
            #expect(grads[frozen] == nil)
            #expect(grads[unused] == nil)
            #expect(grads[x] == nil)
            #expect(grads.count == 1)
        }

        @Test func nothingIsRecordedWithoutGradients() {
            let p = Parameter(Tensor(shape: [2], scalars: [1, 2]))
            let y = GradientMode.withoutGradients { (p.value * 3).sum() }
            #expect(!y.requiresGradient)
            #expect(y.scalar == 9)
            #expect((p.value * 3).sum().requiresGradient)
            #expect(!(p.value.detached() * 3).requiresGradient)
        }

        @Test func retainedGraphGivesTheSameGradientsTwice() {
            let p = Parameter(Tensor(shape: [2], scalars: [1, -2]))
            let loss = (p.value * p.value).mean()
            let first = loss.backward(retainGraph: true)[p]!.scalars
            let second = loss.backward()[p]!.scalars
            #expect(first == [1, -2])
            #expect(second == first)
        }

        @Test func gradientsAccumulateAcrossPasses() {
            let p = Parameter(Tensor(shape: [2], scalars: [1, -2]))
            var total = (p.value * 2).sum().backward()
            total.accumulate((p.value * p.value).sum().backward())
            #expect(total[p]!.scalars == [4, -2])
            total.scale(by: 0.5)
            #expect(total[p]!.scalars == [2, -1])
        }

        @Test func deepChainsDoNotExhaustTheStack() {
            let x = Tensor(shape: [1], scalars: [1]).requiringGradient()
            var y = x
            for _ in 0..<20_000 { y = y * 1 }
            #expect(y.sum().backward()[x]!.scalars == [1])
        }
    }
}
