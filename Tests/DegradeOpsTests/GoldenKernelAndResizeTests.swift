import DegradeMedia
import Foundation
import Testing
@testable import DegradeOps

/// Golden values committed beside the tests pin the ops to the references, not to themselves: kernel taps from the
/// reference formulas (`Fixtures/reference_kernels.py`) and resize outputs of cv2.resize (`Fixtures/reference_resize.py`,
/// OpenCV 4.10 with IPP off).
@Suite struct GoldenKernelsAndResizes {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct KernelCase: Decodable {
        var kind: String
        var size: Int
        var params: [String: Double]
        var taps: [Double]
    }

    @Test func kernelTapsEqualTheReferenceFormulas() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("reference_kernels.json"))
        let cases = try JSONDecoder().decode([KernelCase].self, from: data)
        #expect(cases.count >= 7)
        for c in cases {
            let p = c.params
            let shape: KernelShape
            switch c.kind {
            case "gaussian": shape = .gaussian(sigmaX: p["sx"]!, sigmaY: p["sy"]!, theta: p["theta"]!)
            case "generalized": shape = .generalizedGaussian(sigmaX: p["sx"]!, sigmaY: p["sy"]!, theta: p["theta"]!, beta: p["beta"]!)
            case "plateau": shape = .plateau(sigmaX: p["sx"]!, sigmaY: p["sy"]!, theta: p["theta"]!, beta: p["beta"]!)
            default: shape = .sinc(omega: p["omega"]!)
            }
            let k = try BlurKernel(shape: shape, size: c.size)
            #expect(k.weights.count == c.taps.count)
            let worst = zip(k.weights, c.taps).map { abs(Double($0) - $1) }.max() ?? 1
            #expect(worst < 2e-7, "\(c.kind) \(c.size) \(p): max |Δ| = \(worst)")
        }
    }

    struct ResizeFile: Decodable {
        struct Case: Decodable {
            var interpolation: String
            var width: Int
            var height: Int
            var values: [Double]
        }
        var width: Int
        var height: Int
        var cases: [Case]
    }

    @Test func resizesEqualOpenCV() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("reference_resize.json"))
        let file = try JSONDecoder().decode(ResizeFile.self, from: data)
        var plane = Image(width: file.width, height: file.height, channels: 1)
        for y in 0..<file.height {
            for x in 0..<file.width {
                plane.pixels[y * file.width + x] = Float(0.5 + 0.4 * sin(0.9 * Double(x) + 0.3) * cos(0.7 * Double(y) - 0.2))
            }
        }
        for c in file.cases {
            let interpolation = try #require(Interpolation(rawValue: c.interpolation))
            let out = try Resize.apply(plane, width: c.width, height: c.height, interpolation: interpolation)
            let worst = zip(out.pixels, c.values).map { abs(Double($0) - $1) }.max() ?? 1
            // Bit-identical for area and bilinear; bicubic within OpenCV's Float coordinate rounding.
            #expect(worst <= (c.interpolation == "bicubic" ? 2e-7 : 0), "\(c.interpolation) \(c.width)×\(c.height): max |Δ| = \(worst)")
        }
    }
}
