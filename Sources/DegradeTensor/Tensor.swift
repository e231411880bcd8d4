/// A dense Float32 array with a shape, stored contiguously in row-major order (images are NCHW), that can carry
/// the recorded history needed for reverse-mode gradients.
///
/// `Tensor` is a value: ops never modify their inputs, they return new tensors. A tensor produced by an op from
/// inputs that need gradients remembers that op (see `backward(seed:retainGraph:)`); leaves that need gradients
/// come from `Parameter.value` or `requiringGradient()`.
///
/// Shape errors (mismatched operands, wrong rank) are programming errors and stop with a precondition message that
/// names the op and the shapes involved.
///
/// A training step with the library's pieces:
/// ```swift
/// ComputeContext(threads: 2).activate()            // OpenBLAS and the Swift loops share these 2 threads
/// var rng = SplitMix64(seed: 0)
/// let conv1 = Conv2d(inChannels: 3, outChannels: 64, kernelSize: 3, activation: .leakyReLU(slope: 0.1),
///                    name: "conv1", using: &rng)
/// let conv2 = Conv2d(inChannels: 64, outChannels: 3, kernelSize: 3, name: "conv2", using: &rng)
/// let parameters = conv1.parameters + conv2.parameters
/// let adam = Adam(parameters: parameters, configuration: .init(learningRate: 1e-4, beta1: 0.9, beta2: 0.99))
/// let ema = ExponentialMovingAverage(parameters: parameters, decay: 0.999)
///
/// let output = conv2(conv1(lq)) + lq                // lq, gt: [N, 3, H, W]
/// let loss = Loss.l1(output, gt)
/// var gradients = loss.backward()
/// gradients.clipByGlobalNorm(1, parameters: parameters)
/// adam.step(gradients)
/// ema.update()
/// ```
/// Evaluation runs inside `GradientMode.withoutGradients { … }` so no graph is kept.
public struct Tensor: Sendable, CustomStringConvertible {
    /// Extent of each axis, outermost first; `[]` is a scalar.
    public let shape: [Int]
    let storage: TensorStorage
    let node: GradNode?

    init(shape: [Int], storage: TensorStorage, node: GradNode?) {
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    /// Uninitialised result buffer for an op; every element must be written before the tensor is returned.
    init(uninitialized shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(count: Tensor.elementCount(shape, op: "Tensor")), node: nil)
    }

    /// A tensor holding `scalars` in row-major order.
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        let n = Tensor.elementCount(shape, op: "Tensor(shape:scalars:)")
        precondition(scalars.count == n, "Tensor(shape:scalars:): shape \(shape) needs \(n) scalars, got \(scalars.count)")
        self.init(uninitialized: shape)
        if n > 0 { scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: n) } }
    }

    /// A tensor of `shape` with every element equal to `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(uninitialized: shape)
        storage.pointer.update(repeating: value, count: count)
    }

    /// A scalar (shape `[]`).
    public init(_ value: Float) { self.init(shape: [], repeating: value) }

    /// A tensor of `shape` whose elements `fill` writes (the buffer starts uninitialised; write every element).
    public init(shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        self.init(uninitialized: shape)
        try fill(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// All zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// All ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// Number of elements (the product of `shape`).
    public var count: Int { storage.count }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// Whether gradients flow back from this tensor to some leaf (a trainable parameter or `requiringGradient()`).
    public var requiresGradient: Bool { node != nil }

    /// The elements in row-major order.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    /// The only element of a one-element tensor (e.g. a loss).
    public var scalar: Float {
        precondition(count == 1, "Tensor.scalar: needs exactly one element, shape is \(shape)")
        return storage.pointer[0]
    }

    /// Read access to the elements without copying.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// The same values with no gradient history: gradients stop here.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage, node: nil) }

    /// The same values as a new gradient leaf: `backward()` of anything computed from the result reports a gradient
    /// for it (`gradients[result]`). For inputs whose gradient you want, e.g. in gradient checks.
    public func requiringGradient() -> Tensor {
        Tensor(shape: shape, storage: storage, node: GradNode(leafShape: shape))
    }

    /// A fresh copy of the values with no gradient history.
    public func copy() -> Tensor {
        let out = Tensor(uninitialized: shape)
        out.storage.pointer.update(from: storage.pointer, count: count)
        return out
    }

    public var description: String {
        let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", …" : "")]\(requiresGradient ? ", grad" : ""))"
    }

    /// Raw element pointer for kernels (read-only by convention unless the tensor was just created).
    var pointer: UnsafeMutablePointer<Float> { storage.pointer }

    static func elementCount(_ shape: [Int], op: String) -> Int {
        var n = 1
        for d in shape {
            precondition(d >= 0, "\(op): shape \(shape) has a negative extent")
            n *= d
        }
        return n
    }
}
