import DegradeTensor

/// Averages gradients over the processes of a data-parallel run: the gradients of the parameters, in the
/// network's parameter order, are packed into buckets of at most `bucketScalars` floats, each bucket is summed
/// over all ranks with one allreduce and scaled by 1/N.
///
/// Buckets bound the staging memory and keep each message in the range where MPI's bandwidth is reached (a
/// bucket of a few MB) without one call per small tensor. The packing order and bucket sizes depend only on the
/// network, so every rank issues the same calls in the same order, and for a fixed N the library's reduction
/// order is fixed too: a run is bitwise reproducible, and all ranks receive the same bits (with 2 ranks every
/// algorithm computes g₀ + g₁). The backward pass hands over all gradients at its end, so the reduction is not
/// overlapped with it.
public struct GradientAverager {
    public let communicator: any Communicator
    public var bucketScalars: Int

    public init(communicator: any Communicator, bucketScalars: Int = 1 << 20) {
        self.communicator = communicator
        self.bucketScalars = max(1, bucketScalars)
    }

    /// Replaces each parameter's gradient by its mean over the ranks (a parameter the pass did not reach counts
    /// as a zero gradient). A single process leaves the gradients untouched.
    public func average(_ gradients: inout Gradients, parameters: [Parameter]) throws {
        let n = communicator.size
        guard n > 1 else { return }
        let scale = 1 / Float(n)
        var start = 0
        while start < parameters.count {
            // The next bucket: whole tensors up to bucketScalars (one larger tensor makes a bucket alone).
            var end = start, total = 0
            while end < parameters.count, end == start || total + parameters[end].value.count <= bucketScalars {
                total += parameters[end].value.count
                end += 1
            }
            var bucket = [Float](repeating: 0, count: total)
            var offset = 0
            for p in parameters[start..<end] {
                let c = p.value.count
                if c > 0, let g = gradients[p] {
                    g.withUnsafeBufferPointer { src in bucket.withUnsafeMutableBufferPointer { dst in
                        dst.baseAddress!.advanced(by: offset).update(from: src.baseAddress!, count: c)
                    } }
                }
                offset += c
            }
            try bucket.withUnsafeMutableBufferPointer { try communicator.sum($0) }
            offset = 0
            for p in parameters[start..<end] {
                let c = p.value.count
                gradients[p] = Tensor(shape: p.value.shape, scalars: bucket[offset..<(offset + c)].map { $0 * scale })
                offset += c
            }
            start = end
        }
    }
}
