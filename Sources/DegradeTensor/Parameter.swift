/// A named, trainable tensor with a stable identity: the key under which `Gradients`, `Adam` and
/// `ExponentialMovingAverage` find it.
///
/// `value` is the tensor to use in ops. Its storage is the parameter's own and is updated in place by
/// `assign`, optimisers and EMA swaps, so run `backward()` before updating the parameters a graph was built from.
public final class Parameter: @unchecked Sendable, CustomStringConvertible {
    /// Free-form label (e.g. the PyTorch state-dict key).
    public let name: String
    /// Fixed shape, e.g. `[Cout, Cin, kh, kw]` for a convolution weight.
    public let shape: [Int]
    /// When false (a frozen module), `value` carries no gradient history and optimisers skip the parameter.
    public var isTrainable: Bool
    let storage: TensorStorage
    let node: GradNode

    /// A parameter holding a copy of `initial`'s values.
    public init(_ initial: Tensor, name: String = "", isTrainable: Bool = true) {
        self.name = name
        shape = initial.shape
        self.isTrainable = isTrainable
        storage = TensorStorage(count: initial.count)
        storage.pointer.update(from: initial.pointer, count: initial.count)
        node = GradNode(leafShape: initial.shape)
    }

    /// The current values, as a gradient leaf when trainable.
    public var value: Tensor { Tensor(shape: shape, storage: storage, node: isTrainable ? node : nil) }

    /// Number of elements.
    public var count: Int { storage.count }

    /// Overwrites the values with `newValue`'s (e.g. loading a checkpoint).
    /// - Precondition: `newValue.count` equals `count` (the shape may differ only by reshaping).
    public func assign(_ newValue: Tensor) {
        precondition(newValue.count == count, "Parameter '\(name)': cannot assign \(newValue.shape) to \(shape)")
        storage.pointer.update(from: newValue.pointer, count: count)
    }

    /// In-place write access to the values (for optimisers and custom initialisers).
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    public var description: String { "Parameter('\(name)', shape: \(shape)\(isTrainable ? "" : ", frozen"))" }
}
