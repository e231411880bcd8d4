/// A per-element function of one input, as a value type so generic kernels specialise and inline it.
protocol UnaryFunction { func callAsFunction(_ x: Float) -> Float }

/// A per-element function of two inputs, as a value type so generic kernels specialise and inline it.
protocol BinaryFunction { func callAsFunction(_ a: Float, _ b: Float) -> Float }

/// CPU loops shared by the elementwise ops and reductions.
enum CPUElementwise {
    /// Elements per reduction chunk: fixed, so sums do not depend on the thread count.
    static let reductionChunk = 1 << 14

    /// `out[i] = f(a[i])`; `out` may equal `a`.
    static func map<F: UnaryFunction>(_ count: Int, _ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                      _ f: F) {
        ComputeContext.current.parallelRanges(count) { r in
            var i = r.lowerBound
            while i < r.upperBound { out[i] = f(a[i]); i &+= 1 }
        }
    }

    /// `out[i] = f(a[i], b[i])`; `out` may equal `a` or `b`.
    static func map<F: BinaryFunction>(_ count: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                       _ out: UnsafeMutablePointer<Float>, _ f: F) {
        ComputeContext.current.parallelRanges(count) { r in
            var i = r.lowerBound
            while i < r.upperBound { out[i] = f(a[i], b[i]); i &+= 1 }
        }
    }

    /// `Σ f(a[i], b[i])` accumulated in Double: four running sums per fixed-size chunk, chunks added in order.
    static func sum<F: BinaryFunction>(_ count: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                       _ f: F) -> Double {
        let chunks = (count + reductionChunk - 1) / reductionChunk
        if chunks <= 1 { return chunkSum(0, count, a, b, f) }
        var partials = [Double](repeating: 0, count: chunks)
        partials.withUnsafeMutableBufferPointer { part in
            let partial = part.baseAddress!
            ComputeContext.current.parallelFor(chunks) { c in
                let lo = c &* reductionChunk
                partial[c] = chunkSum(lo, min(count, lo &+ reductionChunk), a, b, f)
            }
        }
        var total = 0.0
        for p in partials { total += p }
        return total
    }

    /// `Σ f(a[i])` accumulated in Double (see `sum(_:_:_:_:)`).
    static func sum<F: UnaryFunction>(_ count: Int, _ a: UnsafePointer<Float>, _ f: F) -> Double {
        sum(count, a, a, IgnoreSecond(f: f))
    }

    /// `Σ a[i]` for `i in 0..<count` on the calling thread, in Double with four running sums.
    static func serialSum(_ a: UnsafePointer<Float>, _ count: Int) -> Double {
        chunkSum(0, count, a, a, IgnoreSecond(f: Identity()))
    }

    @inline(__always)
    private static func chunkSum<F: BinaryFunction>(_ lo: Int, _ hi: Int, _ a: UnsafePointer<Float>,
                                                    _ b: UnsafePointer<Float>, _ f: F) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = lo
        while i &+ 4 <= hi {
            s0 += Double(f(a[i], b[i]))
            s1 += Double(f(a[i &+ 1], b[i &+ 1]))
            s2 += Double(f(a[i &+ 2], b[i &+ 2]))
            s3 += Double(f(a[i &+ 3], b[i &+ 3]))
            i &+= 4
        }
        while i < hi { s0 += Double(f(a[i], b[i])); i &+= 1 }
        return (s0 + s1) + (s2 + s3)
    }

    private struct IgnoreSecond<F: UnaryFunction>: BinaryFunction {
        let f: F
        @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { f(a) }
    }
}

// MARK: - Element functions used by several ops

struct Identity: UnaryFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x }
}
struct Square: UnaryFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * x }
}
struct Scale: UnaryFunction {
    let factor: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * factor }
}
struct Sum: BinaryFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b }
}
struct Difference: BinaryFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b }
}
struct Product: BinaryFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b }
}
