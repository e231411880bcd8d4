import DegradeTensor
import Foundation

/// SPyNet (Ranjan & Black 2017) as BasicVSR uses it (mmagic `SPyNet` in `basicvsr_net.py`): optical flow from a
/// reference frame to a supporting frame, estimated coarse to fine over a 6-level pyramid.
///
/// ```
/// ref, supp  → bilinear resize to a multiple of 32 (align_corners=False; the identity when already one)
/// level 5    = (x − mean) / std  (ImageNet mean/std buffers)      level k−1 = avg_pool 2×2 (level k)
/// flow       = 0 at 1/32 size
/// for level coarse → fine:
///     up   = level 0 ? flow : 2 · bilinear×2(flow, align_corners=True)
///     flow = up + basic_module[level](concat(ref_l, flow_warp(supp_l, up, border padding), up))
/// flow       → bilinear resize back (align_corners=False), x scaled by w/w_up, y by h/h_up
/// ```
/// Each basic module is five 7×7 convs 8→32→64→32→16→2 with ReLU between (no activation after the last), named
/// `basic_module.<level>.basic_module.<i>.conv.{weight,bias}` like mmcv's `ConvModule`s in mmagic's state dict.
///
/// Initialisation: Kaiming-normal (fan-out, ReLU gain, mmcv's `ConvModule` default) with zero biases, except the
/// last conv of every level, which starts at zero so a fresh SPyNet predicts zero flow — the network then starts
/// as an unaligned propagation and learns flow from there, instead of warping with random displacements. Official
/// pretrained weights, when a user converts them (`tools/convert-weights`), replace all of this.
struct SPyNet {
    static let levels = 6
    /// ImageNet normalisation, stored like mmagic's `mean`/`std` buffers (`[1, 3, 1, 1]`).
    let mean: Parameter
    let std: Parameter
    let modules: [[Conv2d]]

    init(name: String, using rng: inout SplitMix64) {
        mean = Parameter(Tensor(shape: [1, 3, 1, 1], scalars: [0.485, 0.456, 0.406]), name: "\(name).mean", isTrainable: false)
        std = Parameter(Tensor(shape: [1, 3, 1, 1], scalars: [0.229, 0.224, 0.225]), name: "\(name).std", isTrainable: false)
        let widths = [8, 32, 64, 32, 16, 2]
        modules = (0..<SPyNet.levels).map { level in
            (0..<5).map { i in
                let (cin, cout) = (widths[i], widths[i + 1])
                let std = i == 4 ? 0 : Float((2.0 / Double(cout * 49)).squareRoot())
                let prefix = "\(name).basic_module.\(level).basic_module.\(i).conv"
                return Conv2d(weight: Parameter(Tensor.normal([cout, cin, 7, 7], standardDeviation: std, using: &rng),
                                                name: "\(prefix).weight"),
                              bias: Parameter(Tensor.zeros([cout]), name: "\(prefix).bias"),
                              activation: i == 4 ? .identity : .relu)
            }
        }
    }

    /// Trainable weights, level by level (the state dict's order).
    var parameters: [Parameter] { modules.flatMap { $0.flatMap(\.parameters) } }
    /// The normalisation constants (saved and loaded with the weights, never trained).
    var buffers: [Parameter] { [mean, std] }

    /// Flow `[N, 2, h, w]` from each `reference` frame to its `supporting` frame (both `[N, 3, h, w]`), in pixels:
    /// `supporting` sampled at `pixel + flow` looks like `reference`.
    /// - Precondition: equal shapes, 3 channels; callers check h, w ≥ 64 (mmagic's rule) with a clear error.
    func callAsFunction(reference: Tensor, supporting: Tensor) -> Tensor {
        precondition(reference.shape == supporting.shape && reference.rank == 4 && reference.shape[1] == 3,
                     "SPyNet: needs two [N, 3, h, w] batches, got \(reference.shape) and \(supporting.shape)")
        let (h, w) = (reference.shape[2], reference.shape[3])
        let (hUp, wUp) = ((h + 31) / 32 * 32, (w + 31) / 32 * 32)
        let resized = hUp != h || wUp != w
        func up(_ x: Tensor) -> Tensor { resized ? x.resizeBilinear(height: hUp, width: wUp, alignCorners: false) : x }
        var flow = coarseToFine(up(reference), up(supporting))
        if resized {
            flow = flow.resizeBilinear(height: h, width: w, alignCorners: false)
                .scaledChannels([Float(w) / Float(wUp), Float(h) / Float(hUp)])
        }
        return flow
    }

    /// mmagic's `compute_flow` on frames whose sides are multiples of 32.
    private func coarseToFine(_ reference: Tensor, _ supporting: Tensor) -> Tensor {
        let (m, s) = (mean.value.scalars, std.value.scalars)
        var refs = [reference.normalizedChannels(mean: m, std: s)]
        var supps = [supporting.normalizedChannels(mean: m, std: s)]
        for _ in 1..<SPyNet.levels {
            refs.append(refs[refs.count - 1].downsampleArea(factor: 2))
            supps.append(supps[supps.count - 1].downsampleArea(factor: 2))
        }
        refs.reverse()
        supps.reverse()
        let n = reference.shape[0]
        var flow = Tensor.zeros([n, 2, refs[0].shape[2], refs[0].shape[3]])
        for level in 0..<SPyNet.levels {
            let up = level == 0 ? flow
                : flow.resizeBilinear(height: refs[level].shape[2], width: refs[level].shape[3], alignCorners: true) * 2
            let warped = supps[level].flowWarp(up, padding: .border)
            let input = Tensor.concat([refs[level], warped, up], axis: 1)
            flow = up + modules[level].reduce(input) { $1($0) }
        }
        return flow
    }
}
