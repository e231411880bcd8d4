import Foundation

/// What data-parallel training needs from the processes it runs in: who this process is, and sums over all of them.
/// `SingleProcess` is the plain `degrade train`; `MPICommunicator` the one `mpirun` starts.
///
/// Every process calls each collective in the same order with the same sizes; the results are identical on all
/// of them, so every rank steps the same optimiser state.
public protocol Communicator: AnyObject {
    /// 0-based; rank 0 alone writes checkpoints, metrics and the report.
    var rank: Int { get }
    var size: Int { get }
    /// Replaces `values` by their element-wise sum over all processes.
    func sum(_ values: UnsafeMutableBufferPointer<Float>) throws
    func sum(_ values: UnsafeMutableBufferPointer<Double>) throws
    /// Element-wise minimum and maximum over all processes (for checks that every rank holds the same state).
    func minimum(_ values: UnsafeMutableBufferPointer<Double>) throws
    func maximum(_ values: UnsafeMutableBufferPointer<Double>) throws
    /// Ends every process of the job with `status` after a failure on this one (a lone exit would leave the
    /// others waiting in a collective).
    func abort(status: Int32) -> Never
    /// Leaves the job cleanly; call once, on every process, at the end.
    func finish()
}

extension Communicator {
    public var isWriter: Bool { rank == 0 }

    /// The sum over all processes of `values`.
    public func sum(_ values: [Double]) throws -> [Double] {
        var v = values
        try v.withUnsafeMutableBufferPointer { try sum($0) }
        return v
    }

    /// Whether any process passed true.
    public func any(_ flag: Bool) throws -> Bool {
        guard size > 1 else { return flag }
        var v = [flag ? 1.0 : 0.0]
        try v.withUnsafeMutableBufferPointer { try maximum($0) }
        return v[0] > 0
    }
}

/// One process, no communication: sums are the values themselves.
public final class SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func sum(_ values: UnsafeMutableBufferPointer<Float>) throws {}
    public func sum(_ values: UnsafeMutableBufferPointer<Double>) throws {}
    public func minimum(_ values: UnsafeMutableBufferPointer<Double>) throws {}
    public func maximum(_ values: UnsafeMutableBufferPointer<Double>) throws {}
    public func abort(status: Int32) -> Never { exit(status) }
    public func finish() {}
}
