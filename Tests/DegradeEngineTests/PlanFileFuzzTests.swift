import DegradeMedia
import DegradeOps
import Foundation
import Testing
@testable import DegradeEngine

/// Hand-edited plans: a few hundred random mutations of a valid plan (fields deleted, nulled, retyped, made
/// negative, huge or fractional, lists shortened or lengthened, op names changed) are either rejected with an
/// `InputError` that names a JSON path, or run to the end — never a trap.
@Suite struct PlanFileFuzz {
    static let yaml = """
        name: fuzz
        frames: 2
        crop: {size: 24}
        flip: {horizontal: 0.5}
        unsharp: {kernel_size: 5}
        pipeline:
          - motion_blur: {length: [1, 6], length_step: 1, angle_step: 0.2}
          - blur: {kernel_size: [5], kernel_list: [aniso, generalized_iso, sinc], kernel_prob: [0.4, 0.3, 0.3], sigma_x_step: 0.1, kernel_noise: [0.8, 1.2]}
          - noise: {noise_type: [gaussian, correlated], noise_prob: [0.5, 0.5], gaussian_sigma_step: 0.5}
          - resize: {target_scale: 0.5}
          - jpeg: {quality: [40, 90], quality_step: 5}
          - video: {codec: [mpeg4], bitrate: [20000, 60000]}
          - clip
          - quantize
        paired_crop: 8
        scale: 2
        """

    static let source = MemorySource(clipsByKey: ["c": RecipeFixtures.frames(3, width: 30, height: 28)])

    static func basePlan(seed: UInt64) throws -> (DegradationPlan, MemorySource) {
        let recipe = try RecipeParser.parse(yaml)
        return (try Planner.plan(recipe: recipe, seed: seed, clip: try source.clips()[0]), source)
    }

    /// A small deterministic generator (the test must not depend on the system's randomness).
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    /// Every path to a value in a JSON tree.
    static func paths(_ value: Any, prefix: [Any] = []) -> [[Any]] {
        var out: [[Any]] = [prefix]
        if let d = value as? [String: Any] {
            // Sorted: a dictionary's order changes from process to process, and the mutations must not.
            for k in d.keys.sorted() { out += paths(d[k]!, prefix: prefix + [k]) }
        } else if let a = value as? [Any] {
            for (i, v) in a.enumerated() { out += paths(v, prefix: prefix + [i]) }
        }
        return out
    }

    /// `root` with the value at `path` replaced by `f(old)` (nil deletes a key or list entry).
    static func updating(_ root: Any, _ path: ArraySlice<Any>, _ f: (Any) -> Any?) -> Any? {
        guard let head = path.first else { return f(root) }
        if var d = root as? [String: Any], let k = head as? String, let child = d[k] {
            d[k] = updating(child, path.dropFirst(), f)
            return d
        }
        if var a = root as? [Any], let i = head as? Int, a.indices.contains(i) {
            if let v = updating(a[i], path.dropFirst(), f) { a[i] = v } else { a.remove(at: i) }
            return a
        }
        return root
    }

    static func mutate(_ value: Any, rng: inout SplitMix) -> Any? {
        switch rng.below(12) {
        case 0: return nil
        case 1: return NSNull()
        case 2: return "x"
        case 3: return -1
        case 4: return 1e300
        case 5: return 0
        case 6: return 2.5
        case 7: return ["blurr", "video", "motion_blur", "resize"][rng.below(4)]
        case 8: if let a = value as? [Any], !a.isEmpty { return Array(a.dropLast()) } else { return [] as [Any] }
        case 9: if let a = value as? [Any], let last = a.last { return a + [last] } else { return [value] }
        case 10: return true
        default:
            if let n = value as? Double { return -n }
            if let b = value as? Bool { return !b }
            return 100_000
        }
    }

    @Test func mutatedPlansAreRejectedByPathOrRun() throws {
        var rng = SplitMix(state: 2026)
        var rejected = 0, ran = 0, opFailures = 0
        let recipe = try RecipeParser.parse(Self.yaml), source = Self.source, clip = try source.clips()[0]
        let bases = try (0..<7).map { seed in
            try JSONSerialization.jsonObject(with: Data(try PlanFile.encode(try Planner.plan(recipe: recipe, seed: UInt64(seed), clip: clip)).utf8))
        }
        for round in 0..<300 {
            let json = bases[round % bases.count]
            let all = Self.paths(json).filter { !$0.isEmpty }
            var mutated: Any = json
            for _ in 0..<(1 + rng.below(2)) {
                let path = all[rng.below(all.count)]
                mutated = Self.updating(mutated, path[...]) { Self.mutate($0, rng: &rng) } ?? mutated
            }
            let data = try JSONSerialization.data(withJSONObject: mutated)
            let decoded: DegradationPlan
            do {
                decoded = try PlanFile.decode(data, source: "fuzz.json")
                try decoded.validate(against: clip)
            } catch let e as InputError {
                rejected += 1
                #expect(e.message.contains("plan ") || e.message.contains("not JSON"), "no JSON path in: \(e.message)")
                continue
            }
            // Accepted: it runs to the end (an op may still refuse a value with an error, never a trap).
            do {
                let clip = try Executor().run(decoded, source: try SampleMaker.loadFrames(for: decoded, from: source))
                #expect(clip.lq.count == decoded.frameCount)
                ran += 1
            } catch is InputError {
                opFailures += 1
            } catch is OpError {
                opFailures += 1
            } catch is MediaError {
                opFailures += 1
            }
        }
        #expect(rejected > 100 && ran >= 5, "rejected \(rejected), ran \(ran), failed in an op \(opFailures)")
    }

    @Test func theUnmutatedPlanRoundTripsAndRuns() throws {
        let (plan, source) = try Self.basePlan(seed: 3)
        let decoded = try PlanFile.decode(Data(try PlanFile.encode(plan).utf8), source: "plan.json")
        #expect(decoded == plan)
        let a = try Executor().run(decoded, source: try SampleMaker.loadFrames(for: decoded, from: source))
        let b = try Executor(threads: 2).run(plan, source: try SampleMaker.loadFrames(for: plan, from: source))
        #expect(a.lq == b.lq && a.lq.count == 2 && a.lq[0].width == 4)
    }
}
