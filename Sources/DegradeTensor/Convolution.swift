extension Tensor {
    /// 2-D convolution of an NCHW batch, stride 1, zero 'same' padding, with optional bias and fused activation.
    ///
    /// `y[n, o, i, j] = act( bias[o] + Σ_{c, u, v} w[o, c, u, v] · x[n, c, i + u − p, j + v − p] )`, `p = (k−1)/2`,
    /// out-of-image samples 0 — PyTorch's `F.conv2d(x, w, b, padding=k//2)` (cross-correlation) followed by the
    /// activation. The weight layout `[Cout, Cin, k, k]` is PyTorch's, so state-dict tensors load 1:1.
    ///
    /// Gradients reach `self`, `weight` and `bias` (see `CPUConvolution` for the method). With an activation the
    /// backward pass reads the sign of the output instead of keeping the pre-activation values.
    ///
    /// - Parameters:
    ///   - weight: `[Cout, Cin, k, k]` with odd `k` (1 and 3 in RealBasicVSR).
    ///   - bias: `[Cout]`, or nil.
    ///   - activation: applied to the biased result.
    /// - Precondition: `self` is `[N, Cin, H, W]` and the shapes above agree.
    public func conv2d(weight: Tensor, bias: Tensor? = nil, activation: Activation = .identity) -> Tensor {
        precondition(rank == 4, "conv2d: input must be [N, C, H, W], got \(shape)")
        precondition(weight.rank == 4 && weight.shape[2] == weight.shape[3] && weight.shape[2] % 2 == 1,
                     "conv2d: weight must be [Cout, Cin, k, k] with odd k, got \(weight.shape)")
        precondition(weight.shape[1] == shape[1],
                     "conv2d: weight \(weight.shape) expects \(weight.shape[1]) input channels, input is \(shape)")
        if let bias {
            precondition(bias.shape == [weight.shape[0]], "conv2d: bias must be [\(weight.shape[0])], got \(bias.shape)")
        }
        let geometry = ConvolutionShape(images: shape[0], inChannels: shape[1], outChannels: weight.shape[0],
                                        height: shape[2], width: shape[3], kernel: weight.shape[2])
        let slope = activation.negativeSlope
        let out = Tensor(uninitialized: [shape[0], weight.shape[0], shape[2], shape[3]])
        CPUConvolution.forward(geometry, input: pointer, weights: weight.pointer, bias: bias?.pointer,
                               slope: slope, output: out.pointer)

        let (x, w, y) = (detached(), weight.detached(), out)
        let needs = (input: requiresGradient, weight: weight.requiresGradient, bias: bias?.requiresGradient ?? false)
        let hasBias = bias != nil
        return out.recorded("conv2d", bias.map { [self, weight, $0] } ?? [self, weight]) { g in
            let gx = needs.input ? Tensor(uninitialized: x.shape) : nil
            let gw = needs.weight ? Tensor(uninitialized: w.shape) : nil
            let gb = needs.bias ? Tensor(uninitialized: [w.shape[0]]) : nil
            CPUConvolution.backward(geometry, input: x.pointer, weights: w.pointer, output: y.pointer, slope: slope,
                                    gradOutput: g.pointer, gradInput: gx?.pointer, gradWeights: gw?.pointer,
                                    gradBias: gb?.pointer)
            let pieces: [GradPiece?] = [gx.map { .full($0) }, gw.map { .full($0) }]
            return hasBias ? pieces + [gb.map { .full($0) }] : pieces
        }
    }
}
