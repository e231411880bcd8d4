import DegradeMedia
import DegradeRandom
import Testing
@testable import DegradeOps

/// Pinned KAIR values from numpy/scipy (independent of this code):
/// ```
/// A = np.array([[0.12,0.85,0.33],[0.47,0.05,0.91],[0.64,0.38,0.27]])
/// U = scipy.linalg.orth(A); d = [0.2,0.5,0.9]; L = 25/255.
/// np.abs(L**2 * U.T @ np.diag(d) @ U)
/// ```
@Suite struct CorrelatedGaussianNoiseTests {
    typealias T = NoiseTestSupport
    static let a = [0.12, 0.85, 0.33, 0.47, 0.05, 0.91, 0.64, 0.38, 0.27]
    static let numpyOrth = [-0.5327987687590228, -0.7495492320896529, 0.39281219518070154,
                            -0.6606822992008432, 0.6584971296844664, 0.36038927525664094,
                            -0.5287952075535085, -0.06750910213542155, -0.846060369948452]
    static let numpyCovariance = [0.005062354769466404, 0.001014304849330169, 0.0023235680868475394,
                                  0.001014304849330169, 0.003203342715788118, 0.0010685922159455667,
                                  0.00232356808684754, 0.0010685922159455667, 0.007113003014553251]

    @Test func orthMatchesScipyUpToColumnSigns() throws {
        let u = try CorrelatedGaussianNoise.orth(Self.a)
        for (x, y) in zip(u, Self.numpyOrth) { #expect(abs(abs(x) - abs(y)) < 1e-12) }
    }

    @Test func kairCovarianceMatchesNumpy() throws {
        let sigma = try CorrelatedGaussianNoise.kairCovariance(
            level: 25.0 / 255, d: [0.2, 0.5, 0.9], u: try CorrelatedGaussianNoise.orth(Self.a))
        for (x, y) in zip(sigma, Self.numpyCovariance) { #expect(abs(x - y) < 1e-15) }
    }

    /// Sample covariance of the added noise within 5 standard errors of Σ (PSD case: Σ itself).
    @Test func sampleCovarianceMatchesSigma() throws {
        try expectCovariance(applying: Self.numpyCovariance, equals: Self.numpyCovariance)
    }

    /// A non-PSD Σ (eigenvalues 3, 1, −1) is sampled like numpy's SVD-based multivariate_normal: covariance Q|Λ|Qᵀ.
    @Test func nonPSDCovarianceIsSampledWithAbsoluteEigenvalues() throws {
        let s = 0.003
        try expectCovariance(applying: [1, 2, 0, 2, 1, 0, 0, 0, 1].map { $0 * s },
                             equals: [2, 1, 0, 1, 2, 0, 0, 0, 1].map { $0 * s })
    }

    func expectCovariance(applying sigma: [Double], equals expected: [Double],
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        let input = T.flat(0.5, width: 96, height: 96)
        var image = input
        try CorrelatedGaussianNoise.apply(&image, covariance: sigma, key: T.key, substream: 0)
        let d = T.difference(image, input)
        let n = input.planeSize
        for i in 0..<3 {
            for j in 0..<3 {
                var c = 0.0
                for p in 0..<n { c += d[i * n + p] * d[j * n + p] }
                c /= Double(n)
                let se = ((expected[4 * i] * expected[4 * j] + expected[3 * i + j] * expected[3 * i + j]) / Double(n))
                    .squareRoot()
                #expect(abs(c - expected[3 * i + j]) < 5 * se, "Σ[\(i)][\(j)] = \(c)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func factorReproducesCovariance() throws {
        let f = try CorrelatedGaussianNoise.factorize(Self.numpyCovariance)
        for i in 0..<3 {
            for j in 0..<3 {
                let ffT = f[3 * i] * f[3 * j] + f[3 * i + 1] * f[3 * j + 1] + f[3 * i + 2] * f[3 * j + 2]
                #expect(abs(ffT - Self.numpyCovariance[3 * i + j]) < 1e-15)
            }
        }
    }

    @Test func sameKeyIsReproducibleAndSubstreamsDiffer() throws {
        var a = T.flat(0.5, width: 13, height: 11), b = a, c = a
        try CorrelatedGaussianNoise.apply(&a, covariance: Self.numpyCovariance, key: T.key, substream: 1)
        try CorrelatedGaussianNoise.apply(&b, covariance: Self.numpyCovariance, key: T.key, substream: 1)
        try CorrelatedGaussianNoise.apply(&c, covariance: Self.numpyCovariance, key: T.key, substream: 2)
        #expect(a.pixels.map(\.bitPattern) == b.pixels.map(\.bitPattern))
        #expect(zip(a.pixels, c.pixels).filter { $0 == $1 }.count < 10)
    }

    @Test func valuesAreNotClipped() throws {
        var image = T.flat(0.95)
        try CorrelatedGaussianNoise.apply(&image, covariance: [0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.01], key: T.key, substream: 3)
        #expect(image.pixels.contains { $0 > 1 })
    }

    @Test func invalidInputsThrow() {
        var image = T.flat(0.5, width: 4, height: 4)
        #expect(throws: OpError.self) {
            try CorrelatedGaussianNoise.apply(&image, covariance: [1, 0.5, 0, 0, 1, 0, 0, 0, 1], key: T.key, substream: 0)
        }
        #expect(throws: OpError.self) { try CorrelatedGaussianNoise.apply(&image, covariance: [1, 0, 0], key: T.key, substream: 0) }
        var gray = Image(width: 4, height: 4, channels: 1)
        #expect(throws: OpError.self) {
            try CorrelatedGaussianNoise.apply(&gray, covariance: Self.numpyCovariance, key: T.key, substream: 0)
        }
        #expect(throws: OpError.self) { try CorrelatedGaussianNoise.kairCovariance(level: 0.1, d: [1, 2], u: Self.a) }
    }
}
