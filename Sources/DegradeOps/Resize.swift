import DegradeMedia

/// Image resizing that reproduces OpenCV's `cv2.resize(img, (width, height), interpolation=…)` on float32 images —
/// the call the reference pipelines (mmedit `RandomResize`, Real-ESRGAN, KAIR) make on [0,1] frames — one channel plane at a time.
///
/// With the output size given, OpenCV uses `inverseScale = dst/src` and `scale = 1/inverseScale` per axis:
/// - `nearest`: `sx = min(floor(dx·scale), src − 1)`.
/// - `bilinear`: `sx = (dx + 0.5)·scale − 0.5`, weights `(1 − f, f)` on `⌊sx⌋, ⌊sx⌋+1`, edge replicated.
/// - `bicubic`: same centres, Keys cubic (a = −0.75) on 4 taps `⌊sx⌋−1 … ⌊sx⌋+2`, edge replicated.
/// - `area`: when both axes shrink, exact area averaging (block mean for integer factors, overlap / cellWidth
///   weights otherwise); when either axis grows, OpenCV's linear fallback `sx = ⌊dx·scale⌋`,
///   `f = (dx+1) − (sx+1)/scale`, `f = f ≤ 0 ? 0 : frac(f)` in both axes.
/// None of them antialias. The same size returns the input unchanged (OpenCV copies). See `ResizePlan` for the
/// exact dispatch and `ResizeTaps` / `AreaTable` for coordinates and weights.
///
/// Not reproduced: OpenCV builds with Intel IPP (e.g. x86 pip wheels) may route float bilinear/bicubic through IPP,
/// whose rounding differs at the 1e-6 level.
public enum Resize {
    /// Largest accepted output side.
    public static let maxDimension = 1 << 15
    /// Largest accepted output plane (`width·height`), 8192² samples.
    public static let maxPlaneSize = 1 << 26

    /// Resizes every channel plane to `width × height`.
    /// - Throws: `OpError` if a target side is ≤ 0, above `maxDimension`, or the plane exceeds `maxPlaneSize`.
    public static func apply(_ image: Image, width: Int, height: Int, interpolation: Interpolation) throws -> Image {
        try validate(width: width, height: height)
        if width == image.width && height == image.height { return image }
        return resample(image, width: width, height: height, interpolation: interpolation,
                        inverseScaleX: Double(width) / Double(image.width),
                        inverseScaleY: Double(height) / Double(image.height))
    }

    /// OpenCV's `cv2.resize(img, None, fx:, fy:)` form: output `round(src·f)` per axis, sampling with the given
    /// factors rather than `dst/src` (they differ when `src·f` is not an integer). Kept internal; it exists so tests
    /// can check against OpenCV's own published regression data, which uses this form.
    static func apply(_ image: Image, inverseScaleX fx: Double, inverseScaleY fy: Double,
                      interpolation: Interpolation) throws -> Image {
        guard fx > 0, fy > 0, fx.isFinite, fy.isFinite else {
            throw OpError("resize", "scale factors must be positive and finite, got \(fx)×\(fy)")
        }
        let width = Int(min(Double(image.width) * fx, Double(Int32.max)).rounded(.toNearestOrEven))
        let height = Int(min(Double(image.height) * fy, Double(Int32.max)).rounded(.toNearestOrEven))
        try validate(width: width, height: height)
        if width == image.width && height == image.height { return image }
        return resample(image, width: width, height: height, interpolation: interpolation,
                        inverseScaleX: fx, inverseScaleY: fy)
    }

    /// Output size of the reference `RandomResize` (MME): `int(n·scale)` per side (truncation), or
    /// `2·floor(n·scale/2)` when `evenSize` (`is_size_even`). The reference produces 0 for tiny `n·scale`
    /// and then `cv2.resize` raises an assertion error; here the result is never below 1 (2 when even).
    /// Non-finite or non-positive products also give that minimum; huge ones saturate (`apply` then rejects them).
    public static func scaledSize(width: Int, height: Int, scale: Double, evenSize: Bool) -> (width: Int, height: Int) {
        (scaledLength(width, scale, evenSize), scaledLength(height, scale, evenSize))
    }

    private static func scaledLength(_ n: Int, _ scale: Double, _ even: Bool) -> Int {
        let smallest = even ? 2 : 1
        let x = Double(n) * scale
        guard x.isFinite, x > 0 else { return smallest }
        let capped = min(x, Double(Int32.max))
        let length = even ? 2 * Int((capped / 2).rounded(.down)) : Int(capped)
        return max(length, smallest)
    }

    private static func validate(width: Int, height: Int) throws {
        guard width > 0, height > 0 else {
            throw OpError("resize", "target size must be positive, got \(width)×\(height)")
        }
        guard width <= maxDimension, height <= maxDimension, width * height <= maxPlaneSize else {
            throw OpError("resize", "target size \(width)×\(height) exceeds the limit of \(maxDimension) per side "
                + "and \(maxPlaneSize) samples per plane")
        }
    }

    private static func resample(_ image: Image, width: Int, height: Int, interpolation: Interpolation,
                                 inverseScaleX: Double, inverseScaleY: Double) -> Image {
        let sw = image.width, sh = image.height
        let plan = ResizePlan(sourceWidth: sw, sourceHeight: sh, width: width, height: height,
                              inverseScaleX: inverseScaleX, inverseScaleY: inverseScaleY,
                              interpolation: interpolation)
        let inPlane = image.planeSize, outPlane = width * height
        // Neither buffer is zero-filled: every resampler writes each output sample, and reads only the scratch rows
        // it has written (the fill of a large scratch cost more than the vertical pass over it).
        let rows = ScratchBuffer(uninitializedCount: plan.scratchCount(sourceHeight: sh, width: width))
        let out = [Float](unsafeUninitializedCapacity: outPlane * image.channels) { result, initialised in
            image.pixels.withUnsafeBufferPointer { all in
                for c in 0..<image.channels {
                    let src = all.baseAddress! + c * inPlane
                    let dst = result.baseAddress! + c * outPlane
                    switch plan {
                    case let .nearest(x, y):
                        NearestResampler.run(src, sourceWidth: sw, x: x, y: y, into: dst)
                    case let .box(kx, ky):
                        AreaResampler.box(src, sourceWidth: sw, kx: kx, ky: ky, width: width, height: height,
                                          into: dst)
                    case let .area(x, y):
                        AreaResampler.table(src, sourceWidth: sw, sourceHeight: sh, x: x, y: y,
                                            rows: rows.base, into: dst)
                    case let .separable(x, y):
                        SeparableResampler.run(src, sourceWidth: sw, sourceHeight: sh, x: x, y: y,
                                               rows: rows.base, into: dst)
                    }
                }
            }
            initialised = outPlane * image.channels
        }
        return Image(width: width, height: height, channels: image.channels, pixels: out)
    }
}
