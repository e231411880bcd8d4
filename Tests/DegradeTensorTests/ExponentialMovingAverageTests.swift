import Testing
@testable import DegradeTensor

extension TensorTests {
    @Suite struct ExponentialMovingAverageTests {
        @Test func updateBlendsTowardsTheCurrentValues() throws {
            let p = Parameter(Tensor(shape: [2], scalars: [1, -1]))
            let ema = ExponentialMovingAverage(parameters: [p], decay: 0.9)
            p.assign(Tensor(shape: [2], scalars: [2, 1]))
            ema.update()
            // 0.9·ema + 0.1·w
            #expect(Support.maxAbsDifference(ema.averages[0].scalars, [1.1, -0.8]) < 1e-6)
            ema.update()
            #expect(Support.maxAbsDifference(ema.averages[0].scalars, [0.9 * 1.1 + 0.2, 0.9 * -0.8 + 0.1]) < 1e-6)
        }

        @Test func swapExchangesValuesAndLoadRestores() throws {
            let p = Parameter(Tensor(shape: [2], scalars: [1, 2]))
            let ema = ExponentialMovingAverage(parameters: [p])
            try ema.load(averages: [Tensor(shape: [2], scalars: [5, 6])])
            ema.swapWithParameters()
            #expect(p.value.scalars == [5, 6])
            #expect(ema.averages[0].scalars == [1, 2])
            ema.swapWithParameters()
            #expect(p.value.scalars == [1, 2])
            #expect(throws: TensorError.self) { try ema.load(averages: [Tensor.zeros([3])]) }
        }
    }
}
