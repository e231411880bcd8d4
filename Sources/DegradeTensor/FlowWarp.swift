/// What `flowWarp` reads for a sample position outside the image.
public enum FlowWarpPadding: Sendable, Equatable {
    /// Corners outside the image count as 0 (BasicVSR's feature warping).
    case zeros
    /// The position is clamped to the image first, so edge pixels repeat (SPyNet's image warping); the gradient
    /// with respect to a clamped coordinate is 0.
    case border
}

extension Tensor {
    /// Backward warping of an NCHW batch by a per-pixel displacement: mmagic's `flow_warp(x, flow)`, i.e. PyTorch's
    /// `grid_sample(x, grid, mode='bilinear', align_corners=True)` on the grid `pixel + flow` normalised with
    /// `W − 1` and `H − 1`.
    ///
    /// For output pixel `(i, j)` the source position is `sx = j + flow[n, 0, i, j]`, `sy = i + flow[n, 1, i, j]`
    /// (computed through the same normalise / unnormalise float steps as PyTorch, so a zero flow reproduces its
    /// rounding); the value is the bilinear mix of the four neighbours `⌊sx⌋, ⌊sx⌋+1 × ⌊sy⌋, ⌊sy⌋+1`, with `padding`
    /// deciding what lies outside. Gradients reach `self` (each output's gradient spread onto its four source
    /// pixels) and `flow` (the derivative of the bilinear mix along x and y, summed over channels).
    /// - Parameter flow: `[N, 2, H, W]`, channel 0 horizontal, channel 1 vertical, in pixels (mmagic passes the
    ///   same values as `[N, H, W, 2]`).
    /// - Precondition: `self` is `[N, C, H, W]` and `flow` is `[N, 2, H, W]`.
    public func flowWarp(_ flow: Tensor, padding: FlowWarpPadding = .zeros) -> Tensor {
        precondition(rank == 4 && flow.shape == [shape[0], 2, shape[2], shape[3]],
                     "flowWarp: needs input [N, C, H, W] and flow [N, 2, H, W], got \(shape) and \(flow.shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let taps = FlowWarpTaps(flow: flow.pointer, images: n, height: h, width: w, padding: padding)
        let out = Tensor(uninitialized: shape)
        FlowWarpKernel.forward(pointer, out.pointer, taps: taps, images: n, channels: c)
        let (x, needInput, needFlow) = (detached(), requiresGradient, flow.requiresGradient)
        let flowShape = flow.shape
        return out.recorded("flowWarp", [self, flow]) { g in
            var gx: Tensor? = nil, gf: Tensor? = nil
            if needInput {
                let t = Tensor.zeros(x.shape)
                FlowWarpKernel.backwardInput(g.pointer, t.pointer, taps: taps, images: n, channels: c)
                gx = t
            }
            if needFlow {
                let t = Tensor(uninitialized: flowShape)
                FlowWarpKernel.backwardFlow(g.pointer, x.pointer, t.pointer, taps: taps, images: n, channels: c)
                gf = t
            }
            return [gx.map { .full($0) }, gf.map { .full($0) }]
        }
    }
}

/// Source positions of every output pixel, shared by the forward and both backward passes.
struct FlowWarpTaps: @unchecked Sendable {
    let height: Int
    let width: Int
    let padding: FlowWarpPadding
    /// Unnormalised (and, for border padding, clamped) source coordinates per `(n, i, j)`.
    var sx: [Float]
    var sy: [Float]
    /// d(source coordinate)/d(flow): 1, or 0 where border padding clamped it.
    var gradX: [Float]
    var gradY: [Float]

    init(flow: UnsafePointer<Float>, images: Int, height h: Int, width w: Int, padding: FlowWarpPadding) {
        height = h
        width = w
        self.padding = padding
        let plane = h * w
        sx = [Float](repeating: 0, count: images * plane)
        sy = sx
        // d(source)/d(flow) is (size − 1)/max(size − 1, 1): 1, or 0 for a one-pixel side (always sampled at 0).
        gradX = [Float](repeating: w > 1 ? 1 : 0, count: images * plane)
        gradY = [Float](repeating: h > 1 ? 1 : 0, count: images * plane)
        // PyTorch's steps: grid = 2·(pixel + flow)/max(size − 1, 1) − 1, then (grid + 1)·((size − 1)/2).
        let (nx, ny) = (Float(max(w - 1, 1)), Float(max(h - 1, 1)))
        let (ux, uy) = (Float(w - 1) / 2, Float(h - 1) / 2)
        for b in 0..<images {
            let fx = flow + b * 2 * plane, fy = fx + plane
            for i in 0..<h {
                for j in 0..<w {
                    let k = i * w + j, o = b * plane + k
                    var x = (2 * (Float(j) + fx[k]) / nx - 1 + 1) * ux
                    var y = (2 * (Float(i) + fy[k]) / ny - 1 + 1) * uy
                    if padding == .border {
                        if !(x > 0) { x = 0; gradX[o] = 0 } else if x > Float(w - 1) { x = Float(w - 1); gradX[o] = 0 }
                        if !(y > 0) { y = 0; gradY[o] = 0 } else if y > Float(h - 1) { y = Float(h - 1); gradY[o] = 0 }
                    }
                    sx[o] = x
                    sy[o] = y
                }
            }
        }
    }

    /// The four corners of a sample: top-left column and row, and the fractional offsets. Coordinates beyond
    /// ±2²⁴ (or non-finite) are treated as far outside, without converting them to Int.
    @inline(__always)
    func corner(_ o: Int) -> (x0: Int, y0: Int, fx: Float, fy: Float)? {
        let x = sx[o], y = sy[o]
        guard x > -2, y > -2, x < Float(width + 1), y < Float(height + 1) else { return nil }
        let x0 = x.rounded(.down), y0 = y.rounded(.down)
        return (Int(x0), Int(y0), x - x0, y - y0)
    }
}

enum FlowWarpKernel {
    static func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, taps: FlowWarpTaps,
                        images: Int, channels: Int) {
        let (h, w) = (taps.height, taps.width), plane = h * w
        ComputeContext.current.parallelFor(images * channels) { p in
            let b = p / channels
            let src = input + p * plane, dst = output + p * plane
            for k in 0..<plane {
                dst[k] = 0
                guard let (x0, y0, fx, fy) = taps.corner(b * plane + k) else { continue }
                var v: Float = 0
                // PyTorch's weights: nw = (1−fx)(1−fy), ne = fx(1−fy), sw = (1−fx)fy, se = fx·fy.
                if y0 >= 0 && y0 < h {
                    if x0 >= 0 && x0 < w { v += src[y0 * w + x0] * ((1 - fx) * (1 - fy)) }
                    if x0 + 1 >= 0 && x0 + 1 < w { v += src[y0 * w + x0 + 1] * (fx * (1 - fy)) }
                }
                if y0 + 1 >= 0 && y0 + 1 < h {
                    if x0 >= 0 && x0 < w { v += src[(y0 + 1) * w + x0] * ((1 - fx) * fy) }
                    if x0 + 1 >= 0 && x0 + 1 < w { v += src[(y0 + 1) * w + x0 + 1] * (fx * fy) }
                }
                dst[k] = v
            }
        }
    }

    /// Scatters each output gradient onto its source pixels, one plane per task (a fixed order within a plane).
    static func backwardInput(_ gradOutput: UnsafePointer<Float>, _ gradInput: UnsafeMutablePointer<Float>,
                              taps: FlowWarpTaps, images: Int, channels: Int) {
        let (h, w) = (taps.height, taps.width), plane = h * w
        ComputeContext.current.parallelFor(images * channels) { p in
            let b = p / channels
            let g = gradOutput + p * plane, dst = gradInput + p * plane
            for k in 0..<plane {
                guard let (x0, y0, fx, fy) = taps.corner(b * plane + k) else { continue }
                let v = g[k]
                if y0 >= 0 && y0 < h {
                    if x0 >= 0 && x0 < w { dst[y0 * w + x0] += v * ((1 - fx) * (1 - fy)) }
                    if x0 + 1 >= 0 && x0 + 1 < w { dst[y0 * w + x0 + 1] += v * (fx * (1 - fy)) }
                }
                if y0 + 1 >= 0 && y0 + 1 < h {
                    if x0 >= 0 && x0 < w { dst[(y0 + 1) * w + x0] += v * ((1 - fx) * fy) }
                    if x0 + 1 >= 0 && x0 + 1 < w { dst[(y0 + 1) * w + x0 + 1] += v * (fx * fy) }
                }
            }
        }
    }

    /// d(out)/d(flow) for every pixel, summed over channels: the bilinear mix differentiated along x and y.
    static func backwardFlow(_ gradOutput: UnsafePointer<Float>, _ input: UnsafePointer<Float>,
                             _ gradFlow: UnsafeMutablePointer<Float>, taps: FlowWarpTaps, images: Int, channels: Int) {
        let (h, w) = (taps.height, taps.width), plane = h * w
        ComputeContext.current.parallelFor(images * h) { r in
            let b = r / h, i = r % h
            let gfx = gradFlow + b * 2 * plane + i * w, gfy = gfx + plane
            for j in 0..<w {
                let k = i * w + j, o = b * plane + k
                gfx[j] = 0
                gfy[j] = 0
                guard let (x0, y0, fx, fy) = taps.corner(o) else { continue }
                let inTop = y0 >= 0 && y0 < h, inBottom = y0 + 1 >= 0 && y0 + 1 < h
                let inLeft = x0 >= 0 && x0 < w, inRight = x0 + 1 >= 0 && x0 + 1 < w
                var dx: Float = 0, dy: Float = 0
                for ch in 0..<channels {
                    let src = input + (b * channels + ch) * plane
                    let g = gradOutput[(b * channels + ch) * plane + k]
                    let nw: Float = inTop && inLeft ? src[y0 * w + x0] : 0
                    let ne: Float = inTop && inRight ? src[y0 * w + x0 + 1] : 0
                    let sw: Float = inBottom && inLeft ? src[(y0 + 1) * w + x0] : 0
                    let se: Float = inBottom && inRight ? src[(y0 + 1) * w + x0 + 1] : 0
                    dx += g * ((ne - nw) * (1 - fy) + (se - sw) * fy)
                    dy += g * ((sw - nw) * (1 - fx) + (se - ne) * fx)
                }
                gfx[j] = dx * taps.gradX[o]
                gfy[j] = dy * taps.gradY[o]
            }
        }
    }
}
