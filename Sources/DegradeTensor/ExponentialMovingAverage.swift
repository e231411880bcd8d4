/// An exponential moving average of parameter values (RealBasicVSR keeps one of the generator, decay 0.999,
/// updated after every step, and evaluates with it).
///
/// `update()` sets `ema ← ema + (1 − decay)·(w − ema)`, i.e. `decay·ema + (1 − decay)·w`, written in the form of
/// MMEditing's `lerp(new, ema, decay)` hook.
public final class ExponentialMovingAverage {
    /// The tracked parameters, in the order `averages` lists them.
    public let parameters: [Parameter]
    /// Weight of the old average, in [0, 1].
    public var decay: Double
    private let shadows: [TensorStorage]

    /// Starts the averages at the parameters' current values.
    public init(parameters: [Parameter], decay: Double = 0.999) {
        precondition((0...1).contains(decay), "ExponentialMovingAverage: decay must be in [0, 1], got \(decay)")
        self.parameters = parameters
        self.decay = decay
        shadows = parameters.map { p in
            let s = TensorStorage(count: p.count)
            s.pointer.update(from: p.storage.pointer, count: p.count)
            return s
        }
    }

    /// Moves every average towards its parameter's current value.
    public func update() {
        let weight = Float(1 - decay)
        for (p, shadow) in zip(parameters, shadows) {
            let (e, w) = (shadow.pointer, p.storage.pointer)
            ComputeContext.current.parallelRanges(p.count) { r in
                for i in r { e[i] += weight * (w[i] - e[i]) }
            }
        }
    }

    /// Copies of the averages, shaped like their parameters.
    public var averages: [Tensor] {
        zip(parameters, shadows).map { Tensor(shape: $0.shape, storage: $1, node: nil).copy() }
    }

    /// Replaces the averages (e.g. from a checkpoint).
    /// - Throws: `TensorError` if the count or an element count differs from the parameters'.
    public func load(averages: [Tensor]) throws {
        guard averages.count == parameters.count else {
            throw TensorError("ExponentialMovingAverage.load",
                              "expected \(parameters.count) averages, got \(averages.count)")
        }
        for (i, (p, a)) in zip(parameters, averages).enumerated() where a.count != p.count {
            throw TensorError("ExponentialMovingAverage.load",
                              "average \(i) for '\(p.name)' must have \(p.count) elements (\(p.shape)), got \(a.shape)")
        }
        for (shadow, a) in zip(shadows, averages) { shadow.pointer.update(from: a.pointer, count: a.count) }
    }

    /// Exchanges the parameters' values with the averages. Call once to evaluate with the averaged weights and
    /// again to resume training with the raw ones.
    public func swapWithParameters() {
        for (p, shadow) in zip(parameters, shadows) {
            let (a, b) = (p.storage.pointer, shadow.pointer)
            for i in 0..<p.count { swap(&a[i], &b[i]) }
        }
    }
}
