import DegradeMedia
import Foundation
import Testing
@testable import DegradeAudit

/// degrade's NIQE against values computed once by an independent implementation (BasicSR's `calculate_niqe` with
/// the MATLAB release's pristine model; `Fixtures/niqe/make_niqe_fixtures.py` regenerates images and values).
@Suite struct NIQETests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/niqe")

    struct Expected: Decodable {
        struct Case: Decodable {
            var file: String
            var crop_border: Int
            var niqe: Double
        }
        var cases: [Case]
    }

    @Test func matchesBasicSRWithin005() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("niqe_expected.json"))
        let expected = try JSONDecoder().decode(Expected.self, from: data)
        #expect(expected.cases.count >= 5)
        for c in expected.cases {
            let image = try ImageFile.read(Self.fixtures.appendingPathComponent(c.file).path).image
            let score = try #require(NIQE.score(image, cropBorder: c.crop_border), "\(c.file)")
            #expect(abs(score - c.niqe) < 0.05, "\(c.file) crop \(c.crop_border): \(score) vs BasicSR \(c.niqe)")
        }
    }

    @Test func degradationsRaiseNIQE() throws {
        func score(_ name: String) throws -> Double {
            try #require(NIQE.score(try ImageFile.read(Self.fixtures.appendingPathComponent(name).path).image))
        }
        let clean = try score("clean.png")
        #expect(try score("blur.png") > clean)
        #expect(try score("noise.png") > clean)
    }

    @Test func needsTwoWholeBlocks() {
        let one = Image(width: 96, height: 120, channels: 3)
        #expect(NIQE.score(one) == nil)
        #expect(NIQE.score(Image(width: 200, height: 100, channels: 3), cropBorder: 4) == nil)  // 192×92 after the crop
        #expect(NIQE.score(Image(width: 10, height: 10, channels: 1), cropBorder: 5) == nil)
    }

    @Test func flatFramesHaveNoScore() {
        // A constant plane has no negative or positive MSCN coefficients: every feature is NaN, so no estimate.
        #expect(NIQE.score(Image(width: 192, height: 96, channels: 3)) == nil)
    }

    @Test func pseudoInverseOfARankDeficientMatrix() {
        // A = u uᵀ + w wᵀ in 4-D (rank 2): A A⁺ A = A and A⁺ A A⁺ = A⁺.
        let u = [1.0, 2, 0, -1], w = [0.5, -1, 3, 0]
        let n = 4
        var a = [Double](repeating: 0, count: 16)
        for i in 0..<n { for j in 0..<n { a[i * n + j] = u[i] * u[j] + w[i] * w[j] } }
        let p = SymmetricPseudoInverse.of(a, size: n)
        func mul(_ x: [Double], _ y: [Double]) -> [Double] {
            (0..<16).map { k in (0..<n).reduce(0) { $0 + x[(k / n) * n + $1] * y[$1 * n + k % n] } }
        }
        let apa = mul(mul(a, p), a), pap = mul(mul(p, a), p)
        for k in 0..<16 {
            #expect(abs(apa[k] - a[k]) < 1e-9)
            #expect(abs(pap[k] - p[k]) < 1e-9)
        }
    }

    @Test func shapeTableRisesStrictlySoTheNearestEntryCanBeBisected() {
        let rho = NaturalSceneStatistics.shapeTable.rho
        #expect(rho.count == 9801)
        #expect(zip(rho, rho.dropFirst()).allSatisfy { $0 < $1 })
        // Bisection finds the exhaustive argmin (first on ties) across the table's range and beyond it.
        for target in stride(from: 0.0, through: 0.8, by: 0.0173) {
            var best = 0, error = Double.infinity
            for (i, r) in rho.enumerated() where (r - target) * (r - target) < error { best = i; error = (r - target) * (r - target) }
            #expect(NaturalSceneStatistics.nearestShape(target) == best, "\(target)")
        }
    }

    @Test func halfResizeKeepsConstantsAndAveragesPairs() {
        let (flat, w, h) = MatlabHalfResize.apply([Double](repeating: 7, count: 12 * 8), width: 12, height: 8)
        #expect(w == 6 && h == 4)
        #expect(flat.allSatisfy { abs($0 - 7) < 1e-12 })
        // A linear ramp x maps to the centre of each output pixel's footprint, 2i + 0.5, away from the mirrored edges.
        let ramp = (0..<(16 * 16)).map { Double($0 % 16) }
        let (out, ow, _) = MatlabHalfResize.apply(ramp, width: 16, height: 16)
        #expect(abs(out[5 * ow + 4] - 8.5) < 1e-9)
    }
}
