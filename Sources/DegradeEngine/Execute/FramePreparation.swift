import DegradeMedia
import DegradeOps

/// Turns loaded source frames into the sample's ground truth: crop (reflect-101 padded when the recipe
/// allows), flips, transpose and mirroring, exactly as the plan says.
enum FramePreparation {
    static func groundTruth(_ frames: [Image], plan: DegradationPlan) throws -> [Image] {
        let region = plan.sourceRegion
        var out = try frames.map { frame -> Image in
            let whole = frame.width == plan.sourceSize.width && frame.height == plan.sourceSize.height
            let precropped = !whole && region.map { frame.width == $0.width && frame.height == $0.height } == true
            guard whole || precropped else {
                let also = region.map { " (or its crop \($0.width)×\($0.height))" } ?? ""
                throw InputError("clip \(plan.clip): frame is \(frame.width)×\(frame.height), the plan was made for \(plan.sourceSize)\(also)")
            }
            var f = frame
            if let crop = plan.crop, whole {
                if crop.padded { f = padReflect101(f, width: max(f.width, crop.size), height: max(f.height, crop.size)) }
                f = cropped(f, x: crop.x, y: crop.y, width: crop.size, height: crop.size)
            }
            if plan.hflip || plan.vflip || plan.transpose { f = oriented(f, hflip: plan.hflip, vflip: plan.vflip, transpose: plan.transpose) }
            if let m = plan.modCrop { f = cropped(f, x: 0, y: 0, width: m.width, height: m.height) }
            return f
        }
        if plan.mirror { out += out.reversed() }
        return out
    }

    static func cropped(_ image: Image, x: Int, y: Int, width: Int, height: Int) -> Image {
        var out = Image(width: width, height: height, channels: image.channels)
        let sp = image.planeSize, dp = width * height
        image.pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for c in 0..<image.channels {
                    for r in 0..<height {
                        let s = c &* sp &+ (y &+ r) &* image.width &+ x
                        let d = c &* dp &+ r &* width
                        for i in 0..<width { dst[d &+ i] = src[s &+ i] }
                    }
                }
            }
        }
        return out
    }

    /// Pads bottom and right with reflect-101 (`cv2.copyMakeBorder(0, ph, 0, pw, BORDER_REFLECT_101)`).
    static func padReflect101(_ image: Image, width: Int, height: Int) -> Image {
        var out = Image(width: width, height: height, channels: image.channels)
        let sp = image.planeSize, dp = width * height
        for c in 0..<image.channels {
            for r in 0..<height {
                let sr = reflect101(r, count: image.height)
                for x in 0..<width {
                    out.pixels[c * dp + r * width + x] = image.pixels[c * sp + sr * image.width + reflect101(x, count: image.width)]
                }
            }
        }
        return out
    }

    /// Horizontal flip, then vertical flip, then transpose (H and W swapped), as mmedit's Flip and
    /// RandomTransposeHW apply them in the RealBasicVSR pipeline.
    static func oriented(_ image: Image, hflip: Bool, vflip: Bool, transpose: Bool) -> Image {
        let w = image.width, h = image.height
        let ow = transpose ? h : w, oh = transpose ? w : h
        let plane = w * h
        let pixels = [Float](unsafeUninitializedCapacity: image.pixels.count) { out, initialised in
            image.pixels.withUnsafeBufferPointer { src in
                for c in 0..<image.channels {
                    let s = src.baseAddress! + c &* plane, d = out.baseAddress! + c &* plane
                    if transpose {
                        PlaneTranspose.run(s, width: w, height: h, hflip: hflip, vflip: vflip, into: d)
                        continue
                    }
                    for y in 0..<h {
                        let sy = vflip ? h &- 1 &- y : y
                        let row = s + sy &* w
                        if hflip {
                            let dr = d + y &* ow
                            for x in 0..<w { dr[x] = row[w &- 1 &- x] }
                        } else {
                            (d + y &* ow).update(from: row, count: w)
                        }
                    }
                }
            }
            initialised = image.pixels.count
        }
        return Image(width: ow, height: oh, channels: image.channels, pixels: pixels)
    }
}
