import DegradeHash
import DegradeTensor

extension Trainer {
    /// Checks that every rank holds bitwise the same weights, EMA and iteration before a checkpoint: rank 0 writes
    /// the checkpoint for all of them, so a rank that drifted (a reduction that gave ranks different bits) must end
    /// the run instead of training on silently.
    func checkRanksAgree() throws {
        var h = FNV1a()
        for t in network.parameters.map(\.value) + ema.averages {
            t.withUnsafeBufferPointer { h.append(bytes: UnsafeRawBufferPointer($0)) }
        }
        // 52 bits of the hash and the iteration, exact in a Double.
        let mine = [Double(h.value >> 12), Double(state.iteration), Double(state.streamCursor)]
        var low = mine, high = mine
        try low.withUnsafeMutableBufferPointer { try communicator.minimum($0) }
        try high.withUnsafeMutableBufferPointer { try communicator.maximum($0) }
        guard low == high else {
            throw TrainError("the \(communicator.size) ranks hold different weights or positions at iteration \(state.iteration) (rank \(communicator.rank): weights hash \(String(h.value >> 12, radix: 16)), stream position \(state.streamCursor)); no checkpoint is written from this state. The last checkpoint is intact; report this with the Open MPI version and the mpirun command")
        }
    }
}
