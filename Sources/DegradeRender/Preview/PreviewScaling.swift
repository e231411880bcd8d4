import DegradeMedia
import DegradeOps

/// Resizing for display: small frames are enlarged by nearest neighbour so every degraded pixel stays a
/// visible, unblurred block; larger frames are reduced with the antialiased thumbnail resampler.
enum PreviewScaling {
    /// `image` scaled to `height` px tall, keeping its aspect ratio.
    static func toHeight(_ image: Image, _ height: Int) throws -> Image {
        let width = max(1, Int((Double(image.width) * Double(height) / Double(image.height)).rounded()))
        return try toSize(image, width: width, height: height)
    }

    /// `image` scaled to exactly `width`×`height`: nearest when it grows, antialiased when it shrinks.
    static func toSize(_ image: Image, width: Int, height: Int) throws -> Image {
        if image.width == width && image.height == height { return image }
        if width >= image.width && height >= image.height {
            return try Resize.apply(image, width: width, height: height, interpolation: .nearest)
        }
        return Resampler.resize(image, width: width, height: height)
    }

    /// `n` frame indices spread over `count` frames: first, middle(s), last, without repeats.
    static func spread(_ n: Int, over count: Int) -> [Int] {
        guard count > 1, n > 1 else { return [0] }
        let k = min(n, count)
        var out: [Int] = []
        for i in 0..<k {
            let t = Int((Double(i) * Double(count - 1) / Double(k - 1)).rounded(.down))
            if out.last != t { out.append(t) }
        }
        return out
    }
}
