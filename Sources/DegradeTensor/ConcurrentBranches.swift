import COpenBLAS
import Dispatch

extension Tensor {
    /// Runs independent sub-networks side by side and joins their results along `axis`, as one recorded op.
    ///
    /// Each branch gets its own gradient leaves for `inputs` and builds its own graph; with `threads ≥ 2` the
    /// branches run on separate workers (each with `threads / branches` threads for its ops and OpenBLAS), both in
    /// the forward pass and when the joined result's gradient comes back, where each branch's graph is
    /// differentiated on its worker. Small convolutions of a recurrent branch then each run on one core instead of
    /// splitting every small GEMM over all cores. The inputs' and the branches' parameters' gradients are summed
    /// in branch order, so results are bitwise reproducible for a fixed thread count, and equal to running the
    /// branches one after another up to GEMM rounding.
    ///
    /// - Parameters:
    ///   - inputs: tensors every branch reads (the branch gets them as its argument, in this order).
    ///   - axis: the results are concatenated along it; all other extents must agree.
    ///   - branches: sub-networks; each must touch no shared mutable state (reading parameters is fine).
    /// - Returns: the results joined along `axis`; gradients reach `inputs` and every parameter the branches used.
    public static func concurrentBranches(_ inputs: [Tensor], joinedOn axis: Int,
                                          _ branches: [([Tensor]) -> Tensor]) -> Tensor {
        precondition(!branches.isEmpty, "concurrentBranches: needs at least one branch")
        let recording = GradientMode.isEnabled
        let leaves = branches.map { _ in
            inputs.map { recording && $0.requiresGradient ? $0.detached().requiringGradient() : $0.detached() }
        }
        let results = BranchRunner.run(branches.count) { b in branches[b](leaves[b]) }
        let joined = GradientMode.withoutGradients { concat(results.map { $0.detached() }, axis: axis) }
        guard recording, results.contains(where: { $0.node != nil }) else { return joined }

        // Parents, branch by branch: the inputs (as this branch's leaves stand for them), then every other leaf the
        // branch's graph reached (its parameters).
        let a = joined.normalizedAxis(axis, "concurrentBranches")
        var parents: [GradNode?] = []
        var branchLeaves: [[GradNode?]] = []
        for (b, result) in results.enumerated() {
            let own = Set(leaves[b].compactMap { $0.node.map(ObjectIdentifier.init) })
            let reached = result.node.map { Backpropagation.consumersFirst(from: $0).filter { $0.isLeaf } } ?? []
            let others = reached.filter { !own.contains(ObjectIdentifier($0)) }
            parents += inputs.map(\.node) + others
            branchLeaves.append(leaves[b].map(\.node) + others)
        }
        let extents = results.map { $0.shape[a] }
        let node = GradNode(op: "concurrentBranches", shape: joined.shape, parents: parents) { g in
            var start = 0
            let seeds = extents.map { extent in
                defer { start += extent }
                return g.slice(axis: a, range: start..<(start + extent))
            }
            // The inner graphs are kept (retainGraph) so an outer pass that retains its graph can run again;
            // they are freed with this closure.
            let gradients = BranchRunner.run(results.count) { b -> Gradients in
                results[b].node == nil ? Gradients() : results[b].backward(seed: seeds[b], retainGraph: true)
            }
            var pieces: [GradPiece?] = []
            for (b, nodes) in branchLeaves.enumerated() {
                for node in nodes {
                    pieces.append(node.flatMap { gradients[b].entries[ObjectIdentifier($0)]?.gradient }.map { .full($0) })
                }
            }
            return pieces
        }
        return Tensor(shape: joined.shape, storage: joined.storage, node: node)
    }
}

/// Runs `count` independent jobs on the active context's threads: one job per worker at a time, each worker's
/// ops (and OpenBLAS) limited to its share of the threads.
enum BranchRunner {
    private final class Slots<T>: @unchecked Sendable {
        var values: [T?]
        let body: (Int) -> T
        init(_ count: Int, _ body: @escaping (Int) -> T) {
            values = Array(repeating: nil, count: count)
            self.body = body
        }
    }

    static func run<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        let context = ComputeContext.current
        let workers = min(context.threads, count)
        if workers <= 1 { return (0..<count).map(body) }
        let share = ComputeContext(threads: max(1, context.threads / workers))
        let gradientsOff = !GradientMode.isEnabled
        return withoutActuallyEscaping(body) { escapable in
            let slots = Slots(count, escapable)
            // Slots are written at distinct indices, each by one worker; the array's storage is allocated above.
            slots.values.withUnsafeMutableBufferPointer { buffer in
                let base = UncheckedPointer(buffer.baseAddress!)
                openblas_set_num_threads(Int32(clamping: share.threads))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    ComputeContext.$branchLocal.withValue(share) {
                        GradientMode.$disabled.withValue(gradientsOff) {
                            for job in stride(from: w, to: count, by: workers) {
                                base.pointer[job] = slots.body(job)
                            }
                        }
                    }
                }
                openblas_set_num_threads(Int32(clamping: context.threads))
            }
            return slots.values.map { $0! }
        }
    }

    private struct UncheckedPointer<T>: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<T?>
        init(_ pointer: UnsafeMutablePointer<T?>) { self.pointer = pointer }
    }
}
