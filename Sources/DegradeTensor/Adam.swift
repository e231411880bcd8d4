import Foundation

/// Adam with PyTorch's `torch.optim.Adam` update (no AMSGrad; weight decay as L2 added to the gradient).
///
/// For each trainable parameter that has a gradient `g`, with its own step count `t` (incremented first):
/// ```
/// g ← g + weightDecay·w                 (when weightDecay ≠ 0)
/// m ← m + (1 − β1)·(g − m)              (PyTorch's lerp form of β1·m + (1 − β1)·g)
/// v ← β2·v + (1 − β2)·g²
/// w ← w − (lr / (1 − β1ᵗ)) · m / (sqrt(v) / sqrt(1 − β2ᵗ) + ε)
/// ```
/// Bias corrections and step size are computed in Double, the per-element update in Float. Parameters without a
/// gradient in the given `Gradients`, or not trainable, are left alone and their step count does not advance.
///
/// The moments and step counts are exposed through `state` / `load(_:)` for checkpoints; they correspond to
/// PyTorch's `exp_avg`, `exp_avg_sq` and `step` per parameter.
public final class Adam {
    /// Hyper-parameters (Double like PyTorch's Python floats; RealBasicVSR: lr 1e-4, β 0.9 / 0.99).
    public struct Configuration: Sendable, Equatable, Codable {
        public var learningRate: Double
        public var beta1: Double
        public var beta2: Double
        public var epsilon: Double
        var weightDecay: Double

        public init(learningRate: Double = 1e-4, beta1: Double = 0.9, beta2: Double = 0.99,
                    epsilon: Double = 1e-8, weightDecay: Double = 0) {
            self.learningRate = learningRate
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    /// May be changed between steps (e.g. a learning-rate schedule).
    public var configuration: Configuration
    /// The parameters updated, in the order `state` lists them.
    public let parameters: [Parameter]
    /// Per-parameter factor on `learningRate` (mmagic's `paramwise_cfg` `lr_mult`, e.g. 0.125 for SPyNet); all 1
    /// unless set.
    public var learningRateMultipliers: [Double]
    private var firstMoments: [TensorStorage]
    private var secondMoments: [TensorStorage]
    private var steps: [Int]

    /// An optimiser with zero moments and step 0 for each parameter.
    public init(parameters: [Parameter], configuration: Configuration = Configuration()) {
        self.parameters = parameters
        self.configuration = configuration
        firstMoments = parameters.map { Adam.zeroStorage($0.count) }
        secondMoments = parameters.map { Adam.zeroStorage($0.count) }
        steps = parameters.map { _ in 0 }
        learningRateMultipliers = parameters.map { _ in 1 }
    }

    /// Applies one update to every trainable parameter that has a gradient in `gradients`.
    public func step(_ gradients: Gradients) {
        let c = configuration
        for (i, p) in parameters.enumerated() where p.isTrainable {
            guard let g = gradients[p] else { continue }
            steps[i] += 1
            let t = Double(steps[i])
            let correction1 = 1 - pow(c.beta1, t), correction2 = 1 - pow(c.beta2, t)
            let update = AdamElementUpdate(
                beta1Complement: Float(1 - c.beta1), beta2: Float(c.beta2), beta2Complement: Float(1 - c.beta2),
                stepSize: Float(c.learningRate * learningRateMultipliers[i] / correction1), correction2Root: Float(correction2.squareRoot()),
                epsilon: Float(c.epsilon), weightDecay: Float(c.weightDecay))
            let (w, m, v, gp) = (p.storage.pointer, firstMoments[i].pointer, secondMoments[i].pointer, g.pointer)
            ComputeContext.current.parallelRanges(p.count) { r in
                for j in r { update.apply(w + j, m + j, v + j, gp[j]) }
            }
        }
    }

    /// Step counts and moments, one entry per parameter in `parameters` order (copies).
    public struct State: Sendable {
        /// Updates applied to each parameter (PyTorch's `step`).
        public var steps: [Int]
        /// First moments `m` (PyTorch's `exp_avg`), each shaped like its parameter.
        public var firstMoments: [Tensor]
        /// Second moments `v` (PyTorch's `exp_avg_sq`), each shaped like its parameter.
        public var secondMoments: [Tensor]

        public init(steps: [Int], firstMoments: [Tensor], secondMoments: [Tensor]) {
            self.steps = steps
            self.firstMoments = firstMoments
            self.secondMoments = secondMoments
        }
    }

    /// A snapshot of the optimiser state.
    public var state: State {
        State(steps: steps,
              firstMoments: zip(parameters, firstMoments).map { Adam.snapshot($1, $0.shape) },
              secondMoments: zip(parameters, secondMoments).map { Adam.snapshot($1, $0.shape) })
    }

    /// Restores a state saved from an optimiser over parameters of the same shapes, in the same order.
    /// - Throws: `TensorError` if the counts or element counts differ, or a step count is negative.
    public func load(_ state: State) throws {
        let n = parameters.count
        guard state.steps.count == n, state.firstMoments.count == n, state.secondMoments.count == n else {
            throw TensorError("Adam.load", "expected state for \(n) parameters, got \(state.steps.count) steps, " +
                              "\(state.firstMoments.count) first and \(state.secondMoments.count) second moments")
        }
        for (i, p) in parameters.enumerated() {
            guard state.firstMoments[i].count == p.count, state.secondMoments[i].count == p.count else {
                throw TensorError("Adam.load", "moments for parameter \(i) '\(p.name)' must have \(p.count) " +
                                  "elements (\(p.shape)), got \(state.firstMoments[i].shape) and \(state.secondMoments[i].shape)")
            }
            guard state.steps[i] >= 0 else {
                throw TensorError("Adam.load", "step count for parameter \(i) '\(p.name)' is negative")
            }
        }
        for i in 0..<n {
            firstMoments[i].pointer.update(from: state.firstMoments[i].pointer, count: parameters[i].count)
            secondMoments[i].pointer.update(from: state.secondMoments[i].pointer, count: parameters[i].count)
        }
        steps = state.steps
    }

    private static func zeroStorage(_ count: Int) -> TensorStorage {
        let s = TensorStorage(count: count)
        s.pointer.update(repeating: 0, count: count)
        return s
    }

    private static func snapshot(_ storage: TensorStorage, _ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: storage, node: nil).copy()
    }
}

/// The per-element Adam arithmetic, in PyTorch's operation order.
private struct AdamElementUpdate {
    let beta1Complement: Float
    let beta2: Float
    let beta2Complement: Float
    let stepSize: Float
    let correction2Root: Float
    let epsilon: Float
    let weightDecay: Float

    @inline(__always)
    func apply(_ w: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
               _ gradient: Float) {
        let g = weightDecay == 0 ? gradient : gradient + weightDecay * w.pointee
        m.pointee += beta1Complement * (g - m.pointee)
        v.pointee = v.pointee * beta2 + beta2Complement * g * g
        let denominator = v.pointee.squareRoot() / correction2Root + epsilon
        w.pointee -= stepSize * (m.pointee / denominator)
    }
}
