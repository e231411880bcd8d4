import Testing
@testable import DegradeTensor

/// Every tensor suite nests in this one so they run one at a time: the determinism tests switch the process-wide
/// thread count (OpenBLAS's included), which must not happen while another test is inside an op.
@Suite(.serialized) struct TensorTests {}

/// Helpers shared by the tensor tests: seeded inputs and a finite-difference gradient check.
enum Support {
    static func random(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
        var g = SplitMix64(seed: seed)
        return Tensor.uniform(shape, low: low, high: high, using: &g)
    }

    /// A convolution's input, weight and bias for `s` (seeds `seed`, `seed + 1`, `seed + 2`).
    static func convolutionOperands(_ s: (n: Int, cin: Int, cout: Int, h: Int, w: Int, k: Int), seed: UInt64)
        -> (x: Tensor, w: Tensor, b: Tensor)
    {
        (random([s.n, s.cin, s.h, s.w], seed: seed), random([s.cout, s.cin, s.k, s.k], seed: seed + 1),
         random([s.cout], seed: seed + 2))
    }

    /// Uniform values in ±[margin, 1]: away from 0, so kinks (ReLU, |·|) are not crossed by a small step.
    static func awayFromZero(_ shape: [Int], seed: UInt64, margin: Float = 0.2) -> Tensor {
        var g = SplitMix64(seed: seed)
        let magnitude = Tensor.uniform(shape, low: margin, high: 1, using: &g).scalars
        let signs = Tensor.uniform(shape, using: &g).scalars
        return Tensor(shape: shape, scalars: zip(magnitude, signs).map { $1 < 0.5 ? -$0 : $0 })
    }

    static func maxAbsDifference(_ a: [Float], _ b: [Double]) -> Double {
        zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0
    }

    /// Compares the gradients `backward(seed: R)` gives for every input of `f` with central differences of the
    /// objective `Σ R ⊙ f(inputs)` (evaluated in Double), on at most `samples` evenly spaced elements per input.
    /// The step actually taken (after Float rounding) is used as the denominator.
    /// Returns the largest `|analytic − numeric| / (1 + |numeric|)` seen.
    static func gradientError(_ inputs: [Tensor], step: Float = 1e-2, samples: Int = 40, seed: UInt64 = 99,
                              _ f: ([Tensor]) -> Tensor) -> Double {
        let leaves = inputs.map { $0.requiringGradient() }
        let y = f(leaves)
        let weights = random(y.shape, seed: seed)
        let gradients = y.backward(seed: weights)
        let r = weights.scalars.map(Double.init)
        func objective(_ xs: [Tensor]) -> Double {
            let out = GradientMode.withoutGradients { f(xs) }.scalars
            return zip(out, r).reduce(0) { $0 + Double($1.0) * $1.1 }
        }
        var worst = 0.0
        for (i, input) in inputs.enumerated() {
            let analytic = gradients[leaves[i]]?.scalars ?? [Float](repeating: 0, count: input.count)
            let values = input.scalars
            let stride = max(1, values.count / samples)
            for j in Swift.stride(from: 0, to: values.count, by: stride) {
                var plus = values, minus = values
                plus[j] += step
                minus[j] -= step
                var xs = inputs
                xs[i] = Tensor(shape: input.shape, scalars: plus)
                let up = objective(xs)
                xs[i] = Tensor(shape: input.shape, scalars: minus)
                let down = objective(xs)
                let numeric = (up - down) / (Double(plus[j]) - Double(minus[j]))
                worst = max(worst, abs(Double(analytic[j]) - numeric) / (1 + abs(numeric)))
            }
        }
        return worst
    }
}
