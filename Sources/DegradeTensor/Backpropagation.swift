extension Tensor {
    /// Reverse-mode differentiation from this tensor back to every leaf it depends on.
    ///
    /// Visits the recorded ops once each, consumers before producers, and sums the gradient contributions a value
    /// receives from every use (e.g. a recurrent feature read by two branches, or a weight shared across frames).
    /// The pass itself records nothing.
    ///
    /// - Parameters:
    ///   - seed: gradient of the final objective with respect to `self`, same shape. Defaults to 1, which requires a
    ///     one-element tensor (a loss).
    ///   - retainGraph: keep the recorded ops so `backward` can run again through them. By default each op's
    ///     captured values are released as soon as its gradient is computed, which lowers peak memory.
    /// - Returns: gradients of every leaf reached, looked up by `Parameter` or by the `requiringGradient()` tensor.
    /// - Precondition: `self` has gradient history (`requiresGradient`).
    public func backward(seed: Tensor? = nil, retainGraph: Bool = false) -> Gradients {
        guard let root = node else {
            preconditionFailure("backward: tensor \(shape) has no gradient history (no trainable parameter or " +
                                "requiringGradient() input, or it was computed inside withoutGradients)")
        }
        let start: Tensor
        if let seed {
            precondition(seed.shape == shape, "backward: seed shape \(seed.shape) must equal the tensor shape \(shape)")
            start = seed.detached()
        } else {
            precondition(count == 1, "backward: without a seed the tensor must have one element, shape is \(shape)")
            start = Tensor(shape: shape, repeating: 1)
        }
        return GradientMode.withoutGradients {
            Backpropagation.run(root: root, seed: start, retainGraph: retainGraph)
        }
    }
}

/// The reverse pass over a recorded graph.
enum Backpropagation {
    static func run(root: GradNode, seed: Tensor, retainGraph: Bool) -> Gradients {
        var pending: [ObjectIdentifier: Accumulator] = [ObjectIdentifier(root): Accumulator(tensor: seed, owned: false)]
        var result = Gradients()
        for node in consumersFirst(from: root) {
            guard let acc = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            if node.isLeaf {
                result.entries[ObjectIdentifier(node)] = Gradients.Entry(node: node, gradient: acc.tensor)
                continue
            }
            guard let step = node.backward else {
                preconditionFailure("backward: the graph through '\(node.op)' was consumed by an earlier backward(); " +
                                    "pass retainGraph: true to differentiate it twice")
            }
            if !retainGraph { node.backward = nil }
            let pieces = step(acc.tensor)
            precondition(pieces.count == node.parents.count, "backward: '\(node.op)' returned \(pieces.count) gradients for \(node.parents.count) inputs")
            for (parent, piece) in zip(node.parents, pieces) {
                guard let parent, let piece else { continue }
                let key = ObjectIdentifier(parent)
                if var existing = pending.removeValue(forKey: key) {
                    existing.add(piece, shape: parent.shape)
                    pending[key] = existing
                } else {
                    pending[key] = Accumulator(first: piece, shape: parent.shape)
                }
            }
        }
        return result
    }

    /// Nodes reachable from `root`, each after every node that consumes it (reverse post-order, iterative so deep
    /// recurrent graphs cannot overflow the stack).
    static func consumersFirst(from root: GradNode) -> [GradNode] {
        var order: [GradNode] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        var stack: [(node: GradNode, next: Int)] = [(root, 0)]
        while let top = stack.last {
            if top.next < top.node.parents.count {
                stack[stack.count - 1].next += 1
                if let p = top.node.parents[top.next], visited.insert(ObjectIdentifier(p)).inserted {
                    stack.append((p, 0))
                }
            } else {
                stack.removeLast()
                order.append(top.node)
            }
        }
        order.reverse()
        return order
    }

    /// The running gradient of one node. `owned` marks a buffer the accumulator allocated, which it may add into
    /// in place; a piece passed through by an op (e.g. `a + b` hands the same gradient to both) is never modified.
    struct Accumulator {
        var tensor: Tensor
        var owned: Bool

        init(tensor: Tensor, owned: Bool) {
            self.tensor = tensor
            self.owned = owned
        }

        init(first piece: GradPiece, shape: [Int]) {
            switch piece {
            case .full(let t):
                self.init(tensor: Accumulator.reshaped(t, shape), owned: false)
            case .slice:
                self.init(tensor: Tensor.zeros(shape), owned: true)
                add(piece, shape: shape)
            }
        }

        mutating func add(_ piece: GradPiece, shape: [Int]) {
            switch piece {
            case .full(let t):
                let g = Accumulator.reshaped(t, shape)
                // Sum into a fresh buffer the first time (one pass), in place afterwards.
                let sum = owned ? tensor : Tensor(uninitialized: shape)
                CPUElementwise.map(g.count, tensor.pointer, g.pointer, sum.pointer, Sum())
                tensor = sum
                owned = true
            case .slice(let t, let axis, let start):
                if !owned {
                    tensor = tensor.copy()
                    owned = true
                }
                let dst = tensor.pointer
                let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
                let length = t.shape[axis], extent = shape[axis]
                precondition(start >= 0 && start + length <= extent && t.count == outer * length * inner,
                             "backward: slice gradient \(t.shape) at \(start) on axis \(axis) does not fit \(shape)")
                let src = t.pointer, block = length * inner
                ComputeContext.current.parallelFor(outer) { o in
                    let d = dst + (o * extent + start) * inner, s = src + o * block
                    var i = 0
                    while i < block { d[i] += s[i]; i &+= 1 }
                }
            }
        }

        static func reshaped(_ t: Tensor, _ shape: [Int]) -> Tensor {
            precondition(t.count == Tensor.elementCount(shape, op: "backward"),
                         "backward: gradient of shape \(t.shape) does not match its input \(shape)")
            return Tensor(shape: shape, storage: t.storage, node: nil)
        }
    }
}
