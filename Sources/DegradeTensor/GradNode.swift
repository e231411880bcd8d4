/// One recorded op (or a leaf) in the gradient graph.
///
/// A result tensor holds its node; the node holds its inputs' nodes and a closure that maps the gradient of the
/// result to gradients of the inputs. Leaves (parameters, `requiringGradient()`) have no inputs; their identity is
/// how `Gradients` finds their gradient.
final class GradNode: @unchecked Sendable {
    let op: String
    let shape: [Int]
    /// A parameter or `requiringGradient()` input: where gradients are collected rather than propagated.
    let isLeaf: Bool
    /// Inputs' nodes (emptied only while tearing the graph down, see `deinit`).
    private(set) var parents: [GradNode?]
    /// Gradient of the result → one piece per parent (nil where the parent needs none). Cleared after use unless
    /// the graph is retained, which frees the activations it captured as the backward pass proceeds.
    var backward: ((Tensor) -> [GradPiece?])?

    init(leafShape: [Int]) {
        op = "leaf"
        shape = leafShape
        isLeaf = true
        parents = []
        backward = nil
    }

    init(op: String, shape: [Int], parents: [GradNode?], backward: @escaping (Tensor) -> [GradPiece?]) {
        self.op = op
        self.shape = shape
        isLeaf = false
        self.parents = parents
        self.backward = backward
    }

    /// Releases a chain of nodes with a loop: freeing a long recurrent graph node by node would otherwise recurse
    /// once per op and can overflow a thread's stack.
    deinit {
        var pending = parents
        parents = []
        while let next = pending.popLast() {
            guard var node = next else { continue }
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.parents)
                node.parents = []
            }
        }
    }
}

/// A contribution to one input's gradient.
enum GradPiece {
    /// The whole gradient, same shape as the input.
    case full(Tensor)
    /// The gradient of the slice `start ..< start + piece.shape[axis]` along `axis`; zero elsewhere. Lets slicing
    /// frames out of a clip cost O(slice) per frame instead of a clip-sized zero tensor each.
    case slice(Tensor, axis: Int, start: Int)
}

/// Whether ops record gradient history.
public enum GradientMode {
    @TaskLocal static var disabled = false

    /// False inside `withoutGradients` (in the current task or thread).
    public static var isEnabled: Bool { !disabled }

    /// Runs `body` without recording any gradient history (for evaluation and inference: no graph is built, so
    /// intermediate results are freed as soon as they are no longer used).
    public static func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
        try $disabled.withValue(true, operation: body)
    }
}

extension Tensor {
    /// `self` (a fresh op result) with `backward` attached when recording and some input carries history.
    /// `backward` maps the result's gradient to one piece per input, in `inputs` order; it must only return
    /// pieces for inputs with `requiresGradient` (others are ignored).
    func recorded(_ op: String, _ inputs: [Tensor], _ backward: @escaping (Tensor) -> [GradPiece?]) -> Tensor {
        guard GradientMode.isEnabled, inputs.contains(where: { $0.node != nil }) else { return self }
        let node = GradNode(op: op, shape: shape, parents: inputs.map(\.node), backward: backward)
        return Tensor(shape: shape, storage: storage, node: node)
    }
}
