import Testing
@testable import DegradeTensor

extension TensorTests {
    /// Reshape, slice, select, concat and stack: element placement by index arithmetic, and gradients.
    @Suite struct ShapeOpTests {
        /// `[2, 3, 4]` with element value = its row-major index.
        let x = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))

        @Test func reshapeKeepsOrderAndInfersOneExtent() {
            let r = x.reshaped([6, -1])
            #expect(r.shape == [6, 4])
            #expect(r.scalars == x.scalars)
            #expect(Support.gradientError([x]) { $0[0].reshaped([4, 6]) } < 1e-3)
        }

        @Test func sliceTakesARangeAlongAnAxis() {
            let s = x.slice(axis: 1, range: 1..<3)
            #expect(s.shape == [2, 2, 4])
            // element (i, j, k) of the slice is x(i, j + 1, k) = 12i + 4(j + 1) + k
            var expected: [Float] = []
            for i in 0..<2 {
                for j in 0..<2 {
                    for k in 0..<4 { expected.append(Float(12 * i + 4 * (j + 1) + k)) }
                }
            }
            #expect(s.scalars == expected)
            #expect(x.slice(axis: -1, range: 3..<4).scalars == [3, 7, 11, 15, 19, 23])
            #expect(Support.gradientError([x]) { $0[0].slice(axis: 1, range: 1..<3) } < 1e-3)
            #expect(Support.gradientError([x]) { $0[0].slice(axis: 2, range: 0..<1) } < 1e-3)
        }

        @Test func selectDropsTheAxis() {
            let frame = x.select(axis: 1, index: 2)
            #expect(frame.shape == [2, 4])
            #expect(frame.scalars == [8, 9, 10, 11, 20, 21, 22, 23])
            #expect(Support.gradientError([x]) { $0[0].select(axis: 0, index: 1) } < 1e-3)
        }

        @Test func concatJoinsOnChannels() {
            let a = Support.random([2, 1, 2, 2], seed: 1), b = Support.random([2, 3, 2, 2], seed: 2)
            let c = Tensor.concat([a, b], axis: 1)
            #expect(c.shape == [2, 4, 2, 2])
            let (av, bv) = (a.scalars, b.scalars)
            #expect(Array(c.scalars[0..<4]) == Array(av[0..<4]))
            #expect(Array(c.scalars[4..<16]) == Array(bv[0..<12]))
            #expect(Array(c.scalars[16..<20]) == Array(av[4..<8]))
            #expect(Array(c.scalars[20..<32]) == Array(bv[12..<24]))
            #expect(Support.gradientError([a, b]) { Tensor.concat([$0[0], $0[1], $0[0]], axis: 1) } < 1e-3)
        }

        @Test func stackAddsAnAxisAndSelectUndoesIt() {
            let frames = (0..<3).map { Support.random([1, 2, 2, 2], seed: UInt64($0)) }
            let clip = Tensor.stack(frames, axis: 1)
            #expect(clip.shape == [1, 3, 2, 2, 2])
            for t in 0..<3 { #expect(clip.select(axis: 1, index: t).scalars == frames[t].scalars) }
            #expect(Support.gradientError(frames) { Tensor.stack($0, axis: 1) } < 1e-3)
        }

        @Test func framesSlicedFromAClipGetTheirGradientsBack() {
            // Every frame used once, some twice: the clip gradient is assembled from slice pieces.
            let clip = Support.random([2, 4, 3, 2, 2], seed: 5)
            let error = Support.gradientError([clip]) { t in
                let frames = (0..<4).map { t[0].select(axis: 1, index: $0) }
                return frames[0] + frames[1] * frames[3] + frames[3] - frames[2]
            }
            #expect(error < 1e-3)
        }
    }
}
