import DegradeMedia
import DegradeTensor

/// Conversions between clips (`[Image]`, planar CHW) and `[N, T, 3, H, W]` tensors.
enum ClipTensor {
    /// Stacks equally sized clips of equal length into `[N, T, C, H, W]`.
    public static func batch(_ clips: [[Image]]) -> Tensor {
        let first = clips[0][0]
        let t = clips[0].count, plane = first.pixels.count
        return Tensor(shape: [clips.count, t, first.channels, first.height, first.width]) { buffer in
            for (n, clip) in clips.enumerated() {
                precondition(clip.count == t, "ClipTensor.batch: clips must have equal length")
                for (i, frame) in clip.enumerated() {
                    precondition(frame.pixels.count == plane, "ClipTensor.batch: frames must have equal size")
                    frame.pixels.withUnsafeBufferPointer { src in
                        (buffer.baseAddress! + (n * t + i) * plane).update(from: src.baseAddress!, count: plane)
                    }
                }
            }
        }
    }

    /// The frames of clip `clip` of a `[N, T, C, H, W]` tensor, optionally clamped to [0, 1].
    public static func images(_ tensor: Tensor, clip: Int, clamp: Bool) -> [Image] {
        let (t, c, h, w) = (tensor.shape[1], tensor.shape[2], tensor.shape[3], tensor.shape[4])
        let plane = c * h * w
        return tensor.withUnsafeBufferPointer { p in
            (0..<t).map { i in
                let start = (clip * t + i) * plane
                var pixels = Array(p[start..<(start + plane)])
                if clamp { for k in pixels.indices { pixels[k] = min(max(pixels[k], 0), 1) } }
                return Image(width: w, height: h, channels: c, pixels: pixels)
            }
        }
    }
}
