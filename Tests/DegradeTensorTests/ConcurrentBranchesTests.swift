import Testing
@testable import DegradeTensor

extension TensorTests {
    /// `Tensor.concurrentBranches` gives the values and gradients of the same branches run one after another and
    /// joined with `concat`, and is bitwise reproducible at a fixed thread count.
    @Suite struct ConcurrentBranchesTests {
        struct Net {
            let a1: Conv2d, a2: Conv2d, b1: Conv2d, head: Conv2d

            init() {
                var g = SplitMix64(seed: 7)
                a1 = Conv2d(inChannels: 4, outChannels: 8, kernelSize: 3, activation: .leakyReLU(slope: 0.1), name: "a1", using: &g)
                a2 = Conv2d(inChannels: 8, outChannels: 8, kernelSize: 3, activation: .relu, name: "a2", using: &g)
                b1 = Conv2d(inChannels: 5, outChannels: 6, kernelSize: 3, name: "b1", using: &g)
                head = Conv2d(inChannels: 14, outChannels: 2, kernelSize: 1, name: "head", using: &g)
            }

            var parameters: [Parameter] { a1.parameters + a2.parameters + b1.parameters + head.parameters }

            // Branch a reads x twice (a recurrence-like reuse); branch b reads x and its own input y.
            func branchA(_ x: Tensor) -> Tensor { a2(a1(x)) + a1(x) }
            func branchB(_ x: Tensor, _ y: Tensor) -> Tensor { b1(Tensor.concat([x, y], axis: 1)) }

            /// Loss, its input gradients and every parameter gradient, with the branches concurrent or not.
            func step(concurrent: Bool) -> [[Float]] {
                var g = SplitMix64(seed: 11)
                let x = Tensor.uniform([3, 4, 24, 24], using: &g).requiringGradient()
                let y = Tensor.uniform([3, 1, 24, 24], using: &g).requiringGradient()
                let joined = concurrent
                    ? Tensor.concurrentBranches([x, y], joinedOn: 1, [{ branchA($0[0]) }, { branchB($0[0], $0[1]) }])
                    : Tensor.concat([branchA(x), branchB(x, y)], axis: 1)
                let loss = Loss.l1(head(joined), Tensor.zeros([3, 2, 24, 24]))
                let grads = loss.backward()
                return [[loss.scalar], grads[x]!.scalars, grads[y]!.scalars] + parameters.map { grads[$0]!.scalars }
            }
        }

        @Test(arguments: [1, 2])
        func matchesSequentialBranches(threads: Int) {
            let net = Net()
            let (concurrent, sequential) = ComputeContext(threads: threads).run {
                (net.step(concurrent: true), net.step(concurrent: false))
            }
            #expect(concurrent.count == sequential.count)
            for (a, b) in zip(concurrent, sequential) {
                let scale = max(b.map { abs($0) }.max() ?? 0, 1e-6)
                let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
                #expect(worst / scale < 1e-5)
            }
        }

        @Test func repeatedRunsOnTwoThreadsAreBitwiseIdentical() {
            let net = Net()
            let (first, second) = ComputeContext(threads: 2).run { (net.step(concurrent: true), net.step(concurrent: true)) }
            for (a, b) in zip(first, second) {
                #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
            }
        }

        @Test func recordsNothingWithoutGradients() {
            let net = Net()
            var g = SplitMix64(seed: 3)
            let x = Tensor.uniform([1, 4, 8, 8], using: &g)
            let joined = ComputeContext(threads: 2).run {
                GradientMode.withoutGradients {
                    Tensor.concurrentBranches([x], joinedOn: 1, [{ net.branchA($0[0]) }, { net.a1($0[0]) }])
                }
            }
            #expect(joined.shape == [1, 16, 8, 8])
            #expect(!joined.requiresGradient)
        }
    }
}
