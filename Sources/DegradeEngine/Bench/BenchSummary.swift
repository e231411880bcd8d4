import DegradeMedia

extension Benchmark {
    func summarise(_ records: [Record], mode: BenchMode, wall: Double, peak: Int, startRSS: Int, peakWasReset: Bool)
        -> BenchModeResult
    {
        let n = Double(max(records.count, 1))
        let frames = records.reduce(0) { $0 + $1.lqFrames }
        var ops: [String: BenchCaseResult.Timing] = [:]
        for r in records {
            for (op, s) in r.opWall { ops[op, default: .init()].wallMs += s * 1000 / n }
            for (op, s) in r.opCPU { ops[op, default: .init()].cpuMs += s * 1000 / n }
        }
        let perRepeat = (0..<repeats).map { rep -> Double in
            let rs = records.filter { $0.repeatIndex == rep }
            let sum = rs.reduce(0) { $0 + $1.wall }
            return sum > 0 ? Double(mode.jobs * rs.count) / sum : 0
        }
        let cpu = records.reduce(0) { $0 + $1.cpu } / n
        let busy = records.reduce(0) { $0 + $1.wall }
        var best: [String: Double] = [:]
        for r in records { best["\(r.clip)/\(r.variant)"] = min(best["\(r.clip)/\(r.variant)"] ?? .infinity, r.cpu) }
        let bestCPU = best.isEmpty ? 0 : best.values.reduce(0, +) / Double(best.count)
        // Repeat 0's digests in (clip, variant) order.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for r in records.filter({ $0.repeatIndex == 0 }).sorted(by: { ($0.clip, $0.variant) < ($1.clip, $1.variant) }) {
            h = StableHash.mix(h ^ r.digest)
        }
        return BenchModeResult(
            mode: mode, label: mode.label, samples: records.count, wallSeconds: wall,
            clipsPerSecond: busy > 0 ? Double(mode.jobs * records.count) / busy : 0,
            lqFramesPerSecond: busy > 0 ? Double(mode.jobs * frames) / busy : 0,
            repeatClipsPerSecond: perRepeat,
            wallMsPerClip: records.reduce(0) { $0 + $1.wall } * 1000 / n,
            cpuMsPerClip: cpu * 1000, clipsPerCPUSecond: cpu > 0 ? 1 / cpu : 0,
            bestCPUMsPerClip: bestCPU * 1000,
            ops: ops,
            codecEncode: .init(wallMs: records.reduce(0) { $0 + $1.codec.encode } * 1000 / n,
                               cpuMs: records.reduce(0) { $0 + $1.codec.encodeCPU } * 1000 / n),
            codecDecode: .init(wallMs: records.reduce(0) { $0 + $1.codec.decode } * 1000 / n,
                               cpuMs: records.reduce(0) { $0 + $1.codec.decodeCPU } * 1000 / n),
            peakRSSBytes: peak, startRSSBytes: startRSS, peakWasReset: peakWasReset,
            outputDigest: String(h, radix: 16).leftPadded(to: 16))
    }

    /// A hash of the frames' exact Float bits and sizes.
    static func digest(_ frames: [Image]) -> UInt64 {
        var h: UInt64 = 0x6a09_e667_f3bc_c908
        for f in frames {
            h = StableHash.mix(h ^ UInt64(f.width << 32 | f.height << 8 | f.channels))
            f.pixels.withUnsafeBufferPointer { p in
                var i = 0
                while i + 1 < p.count {
                    let word = UInt64(p[i].bitPattern) << 32 | UInt64(p[i + 1].bitPattern)
                    h = (h ^ word) &* 0x0000_0100_0000_01b3
                    i += 2
                }
                if i < p.count { h = (h ^ UInt64(p[i].bitPattern)) &* 0x0000_0100_0000_01b3 }
            }
            h = StableHash.mix(h)
        }
        return h
    }
}
