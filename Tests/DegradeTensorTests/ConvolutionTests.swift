import Testing
@testable import DegradeTensor

extension TensorTests {
    /// `conv2d` against direct-convolution references written out here, plus finite differences.
    @Suite struct ConvolutionTests {
        /// Direct 'same' cross-correlation in Double: `y[n,o,i,j] = b[o] + Σ w[o,c,u,v]·x[n,c,i+u−p,j+v−p]`.
        static func direct(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> [Double] {
            let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            let (cout, k) = (w.shape[0], w.shape[2])
            let p = k / 2
            let xs = x.scalars, ws = w.scalars, bs = b?.scalars
            var out = [Double](repeating: 0, count: n * cout * h * wd)
            for img in 0..<n {
                for o in 0..<cout {
                    for i in 0..<h {
                        for j in 0..<wd {
                            var acc = Double(bs?[o] ?? 0)
                            for c in 0..<cin {
                                for u in 0..<k {
                                    for v in 0..<k {
                                        let (y, xx) = (i + u - p, j + v - p)
                                        guard y >= 0, y < h, xx >= 0, xx < wd else { continue }
                                        acc += Double(ws[((o * cin + c) * k + u) * k + v])
                                            * Double(xs[((img * cin + c) * h + y) * wd + xx])
                                    }
                                }
                            }
                            out[((img * cout + o) * h + i) * wd + j] = acc
                        }
                    }
                }
            }
            return out
        }

        /// Direct gradients of `Σ d ⊙ conv(x, w, b)`: `∂x[n,c,y,x] = Σ d[n,o,y−u+p,x−v+p]·w[o,c,u,v]`,
        /// `∂w[o,c,u,v] = Σ d[n,o,i,j]·x[n,c,i+u−p,j+v−p]`, `∂b[o] = Σ d[n,o,·,·]`.
        static func directGradients(_ x: Tensor, _ w: Tensor, _ d: Tensor) -> (x: [Double], w: [Double], b: [Double]) {
            let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            let (cout, k) = (w.shape[0], w.shape[2])
            let p = k / 2
            let xs = x.scalars, ws = w.scalars, ds = d.scalars
            var gx = [Double](repeating: 0, count: x.count), gw = [Double](repeating: 0, count: w.count)
            var gb = [Double](repeating: 0, count: cout)
            for img in 0..<n {
                for o in 0..<cout {
                    for i in 0..<h {
                        for j in 0..<wd {
                            let g = Double(ds[((img * cout + o) * h + i) * wd + j])
                            gb[o] += g
                            for c in 0..<cin {
                                for u in 0..<k {
                                    for v in 0..<k {
                                        let (y, xx) = (i + u - p, j + v - p)
                                        guard y >= 0, y < h, xx >= 0, xx < wd else { continue }
                                        let xi = ((img * cin + c) * h + y) * wd + xx, wi = ((o * cin + c) * k + u) * k + v
                                        gx[xi] += g * Double(ws[wi])
                                        gw[wi] += g * Double(xs[xi])
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return (gx, gw, gb)
        }

        /// Shapes exercising each tiling path: grouped small images, a single image, 1×1, and (100×90 ≥ 8192
        /// positions) bands of rows with a short last band; then the direct narrow path's shapes.
        static let shapes: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, k: Int)] = [
            (3, 2, 4, 7, 5, 3), (1, 3, 2, 6, 6, 3), (2, 4, 3, 5, 4, 1), (1, 2, 3, 100, 90, 3), (1, 3, 2, 100, 90, 1),
        ] + NarrowConvolutionTests.shapes

        @Test(arguments: shapes.indices)
        func forwardMatchesDirectConvolution(_ index: Int) {
            let s = Self.shapes[index]
            let (x, w, b) = Support.convolutionOperands(s, seed: 1)
            let y = x.conv2d(weight: w, bias: b)
            #expect(y.shape == [s.n, s.cout, s.h, s.w])
            #expect(Support.maxAbsDifference(y.scalars, Self.direct(x, w, b)) < 1e-5)
            let unbiased = x.conv2d(weight: w)
            #expect(Support.maxAbsDifference(unbiased.scalars, Self.direct(x, w, nil)) < 1e-5)
        }

        @Test(arguments: shapes.indices)
        func gradientsMatchDirectFormulas(_ index: Int) {
            let s = Self.shapes[index]
            let x = Support.random([s.n, s.cin, s.h, s.w], seed: 4).requiringGradient()
            let w = Parameter(Support.random([s.cout, s.cin, s.k, s.k], seed: 5))
            let b = Parameter(Support.random([s.cout], seed: 6))
            let d = Support.random([s.n, s.cout, s.h, s.w], seed: 7)
            let grads = x.conv2d(weight: w.value, bias: b.value).backward(seed: d)
            let expected = Self.directGradients(x, w.value, d)
            #expect(Support.maxAbsDifference(grads[x]!.scalars, expected.x) < 1e-4)
            #expect(Support.maxAbsDifference(grads[w]!.scalars, expected.w) < 1e-3)
            #expect(Support.maxAbsDifference(grads[b]!.scalars, expected.b) < 1e-3)
        }

        @Test(arguments: [3, 1])
        func gradientsMatchFiniteDifferences(kernel: Int) {
            let x = Support.random([2, 3, 5, 4], seed: 8)
            let w = Support.random([2, 3, kernel, kernel], seed: 9)
            let b = Support.random([2], seed: 10)
            let error = Support.gradientError([x, w, b]) { t in t[0].conv2d(weight: t[1], bias: t[2]) }
            #expect(error < 1e-3)
        }

        @Test(arguments: [Activation.relu, .leakyReLU(slope: 0.1)])
        func fusedActivationEqualsConvolutionThenActivation(_ activation: Activation) {
            let x = Support.random([2, 3, 6, 5], seed: 11).requiringGradient()
            let w = Parameter(Support.random([4, 3, 3, 3], seed: 12))
            let b = Parameter(Support.random([4], seed: 13))
            let d = Support.random([2, 4, 6, 5], seed: 14)
            let fused = x.conv2d(weight: w.value, bias: b.value, activation: activation)
            let separate = x.conv2d(weight: w.value, bias: b.value).activated(activation)
            #expect(fused.scalars == separate.scalars)
            let (g1, g2) = (fused.backward(seed: d), separate.backward(seed: d))
            #expect(g1[x]!.scalars == g2[x]!.scalars)
            #expect(g1[w]!.scalars == g2[w]!.scalars)
            #expect(g1[b]!.scalars == g2[b]!.scalars)
            // The activation really acted: some outputs are negative-slope values or clamped.
            #expect(fused.scalars != x.conv2d(weight: w.value, bias: b.value).scalars)
        }

        @Test func layerUsesPyTorchInitialisationBoundsAndNames() {
            var g = SplitMix64(seed: 3)
            let conv = Conv2d(inChannels: 4, outChannels: 6, kernelSize: 3, activation: .leakyReLU(slope: 0.1),
                              name: "body.0", using: &g)
            let bound: Float = 1 / 6  // 1/√(4·9)
            #expect(conv.weight.shape == [6, 4, 3, 3] && conv.bias?.shape == [6])
            #expect(conv.weight.value.scalars.allSatisfy { abs($0) <= bound })
            #expect(conv.weight.value.scalars.contains { abs($0) > bound * 0.9 })
            #expect(conv.parameters.map(\.name) == ["body.0.weight", "body.0.bias"])
            let x = Support.random([1, 4, 5, 5], seed: 1)
            let direct = x.conv2d(weight: conv.weight.value, bias: conv.bias!.value, activation: .leakyReLU(slope: 0.1))
            #expect(conv(x).scalars == direct.scalars)
        }
    }
}
