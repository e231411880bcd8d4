extension Tensor {
    /// PyTorch's `pixel_shuffle`: `[N, C·r², H, W] → [N, C, H·r, W·r]` with
    /// `out[n, c, h·r + i, w·r + j] = in[n, c·r² + i·r + j, h, w]`. Gradient: the inverse rearrangement.
    public func pixelShuffle(_ factor: Int) -> Tensor {
        precondition(rank == 4 && factor >= 1 && shape[1] % (factor * factor) == 0,
                     "pixelShuffle: input must be [N, C·\(factor)², H, W], got \(shape)")
        let r = factor
        let outShape = [shape[0], shape[1] / (r * r), shape[2] * r, shape[3] * r]
        let out = Tensor(uninitialized: outShape)
        PixelShuffleKernel.run(shuffled: out.pointer, blocks: pointer, groups: shape[0] * outShape[1],
                               factor: r, height: shape[2], width: shape[3], toShuffled: true)
        let inShape = shape
        return out.recorded("pixelShuffle", [self]) { g in
            let gx = Tensor(uninitialized: inShape)
            PixelShuffleKernel.run(shuffled: g.pointer, blocks: gx.pointer, groups: inShape[0] * outShape[1],
                                   factor: r, height: inShape[2], width: inShape[3], toShuffled: false)
            return [.full(gx)]
        }
    }

    /// PyTorch's `pixel_unshuffle`, the inverse of `pixelShuffle`: `[N, C, H·r, W·r] → [N, C·r², H, W]`.
    func pixelUnshuffle(_ factor: Int) -> Tensor {
        precondition(rank == 4 && factor >= 1 && shape[2] % factor == 0 && shape[3] % factor == 0,
                     "pixelUnshuffle: input must be [N, C, H·\(factor), W·\(factor)], got \(shape)")
        let r = factor
        let outShape = [shape[0], shape[1] * r * r, shape[2] / r, shape[3] / r]
        let out = Tensor(uninitialized: outShape)
        PixelShuffleKernel.run(shuffled: pointer, blocks: out.pointer, groups: shape[0] * shape[1],
                               factor: r, height: outShape[2], width: outShape[3], toShuffled: false)
        let inShape = shape
        return out.recorded("pixelUnshuffle", [self]) { g in
            let gx = Tensor(uninitialized: inShape)
            PixelShuffleKernel.run(shuffled: gx.pointer, blocks: g.pointer, groups: inShape[0] * inShape[1],
                                   factor: r, height: outShape[2], width: outShape[3], toShuffled: true)
            return [.full(gx)]
        }
    }
}

/// The index map shared by shuffle and unshuffle, over `groups` = N·C output planes.
enum PixelShuffleKernel {
    /// Moves data between the `[groups, r², H, W]` "blocks" layout and the `[groups, H·r, W·r]` "shuffled" layout,
    /// in the direction `toShuffled`.
    static func run(shuffled: UnsafeMutablePointer<Float>, blocks: UnsafeMutablePointer<Float>, groups: Int,
                    factor r: Int, height h: Int, width w: Int, toShuffled: Bool) {
        let plane = h * w, wide = w * r
        ComputeContext.current.parallelFor(groups * r * r) { index in
            let group = index / (r * r), sub = index % (r * r)
            let i = sub / r, j = sub % r
            let block = blocks + index * plane
            let big = shuffled + group * plane * r * r
            for y in 0..<h {
                let row = big + (y * r + i) * wide + j
                let src = block + y * w
                if toShuffled {
                    var x = 0
                    while x < w { row[x &* r] = src[x]; x &+= 1 }
                } else {
                    var x = 0
                    while x < w { src[x] = row[x &* r]; x &+= 1 }
                }
            }
        }
    }
}
