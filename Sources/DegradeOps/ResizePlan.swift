/// Which of OpenCV's float resize algorithms a size change runs, and its per-axis tables. The choice follows
/// `cv::hal::resize` (OpenCV 4.x, non-IPP code) step by step:
/// 1. `scale = 1 / inverseScale` per axis; the scale counts as an integer when `|scale − round(scale)| < DBL_EPSILON`.
/// 2. `nearest`: `sx = min(floor(dx·scale), src − 1)`.
/// 3. `bilinear` with an exact ×½ in both axes is run as `area` (the box average of 2×2 is the same filter).
/// 4. `area` with `scale ≥ 1` in both axes: integer scales → block mean; otherwise → overlap-weighted table.
/// 5. Everything else (bilinear, bicubic, and `area` when either axis grows) → separable taps; `area` then uses
///    its fallback coordinates in both axes, also on an axis that shrinks.
enum ResizePlan: Sendable {
    case nearest(x: [Int], y: [Int])
    /// Integer-factor area: mean of each `kx × ky` block.
    case box(kx: Int, ky: Int)
    case area(x: AreaTable, y: AreaTable)
    case separable(x: ResizeTaps, y: ResizeTaps)

    init(sourceWidth sw: Int, sourceHeight sh: Int, width dw: Int, height dh: Int,
         inverseScaleX ix: Double, inverseScaleY iy: Double, interpolation: Interpolation) {
        let scaleX = 1 / ix
        let scaleY = 1 / iy
        if interpolation == .nearest {
            self = .nearest(x: ResizePlan.nearestIndices(source: sw, destination: dw, scale: scaleX),
                            y: ResizePlan.nearestIndices(source: sh, destination: dh, scale: scaleY))
            return
        }
        // cvRound (round half to even) of a double, saturated like saturate_cast<int>.
        let kx = Int(min(scaleX, Double(Int32.max)).rounded(.toNearestOrEven))
        let ky = Int(min(scaleY, Double(Int32.max)).rounded(.toNearestOrEven))
        let integerScales = abs(scaleX - Double(kx)) < Double.ulpOfOne && abs(scaleY - Double(ky)) < Double.ulpOfOne
        var mode = interpolation
        if mode == .bilinear && integerScales && kx == 2 && ky == 2 { mode = .area }
        if mode == .area && scaleX >= 1 && scaleY >= 1 {
            if integerScales {
                self = .box(kx: kx, ky: ky)
            } else {
                self = .area(x: AreaTable(source: sw, destination: dw, scale: scaleX, laneGroups: true),
                             y: AreaTable(source: sh, destination: dh, scale: scaleY))
            }
            return
        }
        let rule: ResizeTaps.Rule = switch mode {
        case .bicubic: .cubic
        case .area: .areaFallback
        default: .linear
        }
        self = .separable(
            x: ResizeTaps(rule: rule, source: sw, destination: dw, scale: scaleX, inverseScale: ix, horizontal: true),
            y: ResizeTaps(rule: rule, source: sh, destination: dh, scale: scaleY, inverseScale: iy, horizontal: false))
    }

    /// Scratch floats the plan needs between its horizontal and vertical passes (one plane's worth).
    func scratchCount(sourceHeight: Int, width: Int) -> Int {
        switch self {
        case .nearest, .box: 0
        case .area, .separable: sourceHeight * width
        }
    }

    private static func nearestIndices(source: Int, destination: Int, scale: Double) -> [Int] {
        (0..<destination).map { min(Int((Double($0) * scale).rounded(.down)), source - 1) }
    }
}
