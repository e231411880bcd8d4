#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Per-layer timing of the convolution methods (`degrade bench --conv`): the direct kernel against im2col + GEMM
/// for the forward pass, the input gradient (the forward pass of the transposed shape) and the weight gradient, on
/// random data, so the dispatch in `DirectConvolution.pays` can follow measurements rather than guesses.
public enum ConvolutionBenchmark {
    /// A convolution's geometry (stride 1, 'same' padding).
    public struct Layer: Sendable, CustomStringConvertible {
        public let images, inChannels, outChannels, height, width, kernel: Int
        public init(images: Int, inChannels: Int, outChannels: Int, height: Int, width: Int, kernel: Int) {
            (self.images, self.inChannels, self.outChannels) = (images, inChannels, outChannels)
            (self.height, self.width, self.kernel) = (height, width, kernel)
        }
        public var description: String {
            "\(kernel)×\(kernel) \(inChannels)→\(outChannels) \(height)×\(width) ×\(images)"
        }
        /// Multiply-adds × 2 of one pass.
        public var flop: Double {
            2 * Double(images * inChannels * outChannels * height * width * kernel * kernel)
        }
        var shape: ConvolutionShape {
            ConvolutionShape(images: images, inChannels: inChannels, outChannels: outChannels, height: height,
                             width: width, kernel: kernel)
        }
    }

    public enum Pass: String, Sendable, CaseIterable { case forward, inputGradient = "input-grad", weightGradient = "weight-grad" }
    public enum Method: String, Sendable, CaseIterable { case gemm, direct, narrow }

    /// Best (minimum) process CPU and wall seconds of one call over `repeats` calls after one warm-up, on the
    /// active `ComputeContext`; nil when `method` has no implementation for `pass`.
    public static func measure(_ layer: Layer, _ pass: Pass, _ method: Method,
                               repeats: Int) -> (cpu: Double, wall: Double)? {
        let s = pass == .inputGradient ? layer.shape.transposed : layer.shape
        if pass == .weightGradient && method == .narrow { return nil }
        if method == .narrow && !NarrowConvolution.applies(s) { return nil }
        var rng = SplitMix64(seed: 1)
        let x = Tensor.normal([s.images, s.inChannels, s.height, s.width], using: &rng)
        let w = Tensor.normal([s.outChannels, s.inChannels, s.kernel, s.kernel], standardDeviation: 0.1, using: &rng)
        let y = Tensor.normal([s.images, s.outChannels, s.height, s.width], using: &rng)
        let gw = Tensor(uninitialized: w.shape)
        let call = {
            switch (pass, method) {
            case (.weightGradient, .direct):
                DirectWeightGradient.compute(s, input: x.pointer, d: y.pointer, into: gw.pointer)
            case (.weightGradient, _):
                CPUConvolution.gemmWeightGradient(s, input: x.pointer, d: y.pointer, into: gw.pointer)
            case (_, .gemm):
                CPUConvolution.gemmForward(s, input: x.pointer, weights: w.pointer, bias: nil, slope: nil,
                                           output: y.pointer)
            case (_, .direct):
                DirectConvolution.forward(s, input: x.pointer, weights: w.pointer, bias: nil, slope: nil,
                                          output: y.pointer)
            case (_, .narrow):
                NarrowConvolution.forward(s, input: x.pointer, weights: w.pointer, bias: nil, slope: nil,
                                          output: y.pointer)
            }
        }
        call()
        var best = (cpu: Double.infinity, wall: Double.infinity)
        for _ in 0..<max(1, repeats) {
            let (c0, w0) = (clock(CLOCK_PROCESS_CPUTIME_ID), clock(CLOCK_MONOTONIC))
            call()
            best = (min(best.cpu, clock(CLOCK_PROCESS_CPUTIME_ID) - c0), min(best.wall, clock(CLOCK_MONOTONIC) - w0))
        }
        return best
    }

    private static func clock(_ id: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(id, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
