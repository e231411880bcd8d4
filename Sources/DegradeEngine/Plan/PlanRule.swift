import DegradeOps

/// The checks a plan read from a file must pass before it runs, each failing with an `InputError` that names the
/// value's JSON path (`plan steps[3].blur.frames[2].sigmaX: …`) and what was expected.
enum PlanRule {
    static func problem(_ path: String, _ message: String) -> InputError {
        InputError("plan \(path): \(message)")
    }

    static func perFrame(_ n: Int, _ frames: Int, _ path: String) throws {
        guard n == frames else { throw problem(path, "\(n) values, expected one per frame (\(frames))") }
    }

    static func number(_ v: Double, _ path: String, in range: ClosedRange<Double>) throws {
        guard v.isFinite, range.contains(v) else {
            throw problem(path, "\(v) is out of range, expected a number within \(StepParameter.short(range.lowerBound))…\(StepParameter.short(range.upperBound))")
        }
    }

    static func integer(_ v: Int, _ path: String, in range: ClosedRange<Int>, odd: Bool = false) throws {
        guard range.contains(v), !odd || v % 2 != 0 else {
            throw problem(path, "\(v) is out of range, expected \(odd ? "an odd" : "an") integer within \(range.lowerBound)…\(range.upperBound)")
        }
    }

    static func present<T>(_ v: T?, _ path: String, _ what: String) throws -> T {
        guard let v else { throw problem(path, "missing, expected \(what)") }
        return v
    }

    /// Largest frame side and area a plan may ask for: `Resize`'s limits (beyond them a frame takes gigabytes).
    static let maxSide = Resize.maxDimension
    static let maxPixels = Resize.maxPlaneSize

    static func size(_ s: FrameDims, _ path: String) throws {
        guard (1...maxSide).contains(s.width), (1...maxSide).contains(s.height), s.width * s.height <= maxPixels else {
            throw problem(path, "\(s.width)×\(s.height) is out of range, expected 1…\(maxSide) px per side and at most \(maxPixels) px")
        }
    }
}
