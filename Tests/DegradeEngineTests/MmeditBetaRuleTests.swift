import DegradeRandom
import Foundation
import Testing
@testable import DegradeEngine

/// realbasicvsr.yaml draws β of generalized and plateau kernels as mmedit 0.16.1 does, checked against an
/// independent Python model of the reference's code (`Fixtures/mmedit_beta_model.py`).
@Suite struct MmeditBetaRule {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mmedit_beta_model.py").path

    static func runModel(_ request: [String: Any]) throws -> Any {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map { "\($0)/python3" }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
        let exe = try #require(python, "python3 is needed for the independent model")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = [model]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        return try JSONSerialization.jsonObject(with: data)
    }

    /// The same uniforms in, the same βs out, for both kernel families' ranges, with and without a walk.
    @Test(arguments: [(0.5, 4.0, 0.05), (1.0, 2.0, 0.1), (0.5, 4.0, 0.0), (0.2, 0.9, 0.3), (1.5, 3.0, 2.0)])
    func drawsEqualTheModelForTheSameUniforms(lo: Double, hi: Double, step: Double) throws {
        var rng = RandomStream(seed: 5, clip: "beta", stream: "\(lo)-\(hi)-\(step)")
        let frames = 15
        let uniforms = (0..<(1 + 3 * frames)).map { _ in rng.uniform() }
        var i = 0
        let ours = BlurSampling.mmeditBetas(range: lo...hi, step: step, frames: frames) {
            defer { i += 1 }
            return uniforms[i]
        }
        #expect(i == uniforms.count, "consumed \(i) uniforms, the reference consumes \(uniforms.count)")
        let theirs = try #require(try Self.runModel(["mode": "replay", "lo": lo, "hi": hi, "step": step, "frames": frames,
                                                     "uniforms": uniforms]) as? [Double])
        #expect(theirs.count == frames)
        for (a, b) in zip(ours, theirs) { #expect(abs(a - b) < 1e-12, "\(ours) vs \(theirs)") }
    }

    /// The recipe's own sampler (through `BlurSampling.sample`) against the model driven by Python's generator:
    /// the β of frame 0 and of frame 14, for generalized and plateau kernels, by a two-sample KS test.
    @Test func theRecipeSamplerHasTheModelsDistributionAtFrameZeroAndLater() throws {
        let recipe = try RecipeFixtures.bundled("realbasicvsr")
        guard case let .op(_, .blur(bundled)) = recipe.pipeline[0] else { Issue.record("first op is not blur"); return }
        #expect(bundled.betaRule == .mmedit, "realbasicvsr.yaml must use mmedit's β rule")
        let n = 3000, frames = 15
        for (kind, range, step) in [(KernelType.generalizedIso, bundled.betaGaussian, bundled.betaGaussianStep),
                                    (KernelType.plateauAniso, bundled.betaPlateau, bundled.betaPlateauStep)] {
            var spec = bundled
            spec.kernelList = [kind]
            spec.kernelProb = [1]
            spec.sincProb = 0
            var rng = RandomStream(seed: 3, clip: "dist", stream: kind.rawValue)
            var first: [Double] = [], later: [Double] = []
            for _ in 0..<n {
                let plan = BlurSampling.sample(spec, frames: frames, rng: &rng)
                first.append(try #require(plan.frames[0].beta))
                later.append(try #require(plan.frames[frames - 1].beta))
            }
            let model = try #require(try Self.runModel(["mode": "sample", "lo": range.lowerBound, "hi": range.upperBound, "step": step,
                                                        "frames": frames, "clips": n, "seed": 17]) as? [[Double]])
            for (name, ours, theirs) in [("frame 0", first, model.map { $0[0] }), ("frame 14", later, model.map { $0[frames - 1] })] {
                let d = Self.ksDistance(ours, theirs)
                // Critical value at α = 0.001 for two samples of n.
                let critical = 1.949 * (2.0 / Double(n)).squareRoot()
                #expect(d < critical, "\(kind) \(name): KS D = \(d) ≥ \(critical)")
            }
            // Every frame's β lies between 1 and the clip's walked β, inside the range's hull with 1.
            #expect(first.allSatisfy { (min(range.lowerBound, 1)...max(range.upperBound, 1)).contains($0) })
        }
    }

    /// realesrgan.yaml keeps Real-ESRGAN's rule (its distribution is checked in KernelStatistics).
    @Test func realesrganKeepsItsOwnRule() throws {
        let recipe = try RecipeFixtures.bundled("realesrgan")
        guard case let .op(_, .blur(spec)) = recipe.pipeline[0] else { Issue.record("first op is not blur"); return }
        #expect(spec.betaRule == .realesrgan)
    }

    static func ksDistance(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let v = min(x[i], y[j])
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return d
    }
}
