import Foundation

/// Gradients from one `backward()` pass, keyed by leaf identity.
///
/// Look up a parameter's gradient with `gradients[parameter]`, or an input's with `gradients[tensor]` for the
/// tensor returned by `requiringGradient()`. Leaves the pass did not reach have no entry (nil). The stored tensors
/// are never modified in place; `scale`, `clipByGlobalNorm` and `accumulate` replace them.
public struct Gradients: Sendable {
    struct Entry: Sendable {
        let node: GradNode
        var gradient: Tensor
    }
    var entries: [ObjectIdentifier: Entry] = [:]

    /// No gradients (a starting point for `accumulate`).
    public init() {}

    /// Number of leaves with a gradient.
    public var count: Int { entries.count }

    /// The gradient of `parameter`'s loss contribution (its shape), or nil when the pass did not reach it.
    /// Setting replaces it (shape must match).
    public subscript(parameter: Parameter) -> Tensor? {
        get { entries[ObjectIdentifier(parameter.node)]?.gradient }
        set { set(newValue, for: parameter.node) }
    }

    /// The gradient of a leaf made by `requiringGradient()` (pass that same tensor or one sharing its history).
    public subscript(tensor: Tensor) -> Tensor? {
        guard let node = tensor.node else { return nil }
        return entries[ObjectIdentifier(node)]?.gradient
    }

    /// Global L2 norm `sqrt(Σ_p Σ_i g_pi²)` over the gradients of `parameters` (missing ones count as zero),
    /// accumulated in Double in the order given.
    public func globalNorm(of parameters: [Parameter]) -> Float {
        var total = 0.0
        for p in parameters {
            guard let g = self[p] else { continue }
            total += CPUElementwise.sum(g.count, g.pointer, Square())
        }
        return Float(total.squareRoot())
    }

    /// Multiplies every gradient by `factor` (e.g. 1/steps after accumulating micro-batches).
    public mutating func scale(by factor: Float) {
        for key in Array(entries.keys) {
            let g = entries[key]!.gradient
            entries[key]!.gradient = g * factor
        }
    }

    /// PyTorch's `clip_grad_norm_`: with `n = globalNorm(of: parameters)`, scales the gradients of `parameters` by
    /// `maxNorm / (n + 1e-6)` when that is below 1, else leaves them. Returns `n` (the norm before clipping).
    @discardableResult
    public mutating func clipByGlobalNorm(_ maxNorm: Float, parameters: [Parameter]) -> Float {
        let norm = globalNorm(of: parameters)
        let coefficient = Double(maxNorm) / (Double(norm) + 1e-6)
        if coefficient < 1 {
            for p in parameters {
                if let g = self[p] { self[p] = g * Float(coefficient) }
            }
        }
        return norm
    }

    /// Adds `other`'s gradients to these, leaf by leaf (for gradient accumulation over several passes).
    mutating func accumulate(_ other: Gradients) {
        for (key, entry) in other.entries {
            if let mine = entries[key] {
                entries[key]!.gradient = mine.gradient.detached() + entry.gradient.detached()
            } else {
                entries[key] = entry
            }
        }
    }

    private mutating func set(_ gradient: Tensor?, for node: GradNode) {
        let key = ObjectIdentifier(node)
        guard let gradient else { entries[key] = nil; return }
        precondition(gradient.shape == node.shape, "Gradients: gradient shape \(gradient.shape) must equal \(node.shape)")
        entries[key] = Entry(node: node, gradient: gradient.detached())
    }
}
