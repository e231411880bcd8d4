import DegradeEngine
import Foundation

/// Plain-text tables of a `BenchCaseResult`, for the terminal.
enum BenchTable {
    /// Preparation, then the plan's step kinds in their declared order, then the paired crop.
    static let opOrder = ["prepare", "unsharp"] + StepKind.allCases.map(\.rawValue) + ["paired_crop"]

    static func render(_ r: BenchCaseResult, cores: Int) -> String {
        var lines: [String] = []
        lines.append("case \(r.benchCase.rawValue) — \(r.summary): \(r.recipe), GT \(r.gtSize) → LQ \(r.lqSize), "
            + "\(r.framesPerClip) LQ frames per clip")
        lines.append("  \(r.clips) clips × \(r.variantsPerClip) variants × \(r.repeats) repeats (+\(r.warmup) warm-up per mode), "
            + "seed \(r.seed), \(cores) cores")
        lines.append(String(format: "  input, untimed: photo decode %.0f ms per clip, pan rendering %.0f ms wall / %.0f ms CPU "
            + "per sample, source frames %.1f MB per sample; process peak RSS %@", r.photoDecode.wallMs,
            r.panGeneration.wallMs, r.panGeneration.cpuMs, Double(r.sourceBytesPerSample) / 1e6, mb(r.processPeakRSSBytes)))
        lines.append("")
        let modeWidths = [20, 8, 8, 18, 12, 11, 11, 9, 10]
        lines.append(row(["mode", "clips/s", "LQ fr/s", "per repeat", "wall ms/clip", "CPU ms/clip", "clips/CPU·s",
                          "best CPU", "peak RSS*"], widths: modeWidths))
        for m in r.modes {
            let reps = m.repeatClipsPerSecond.map { String(format: "%.2f", $0) }.joined(separator: " ")
            lines.append(row([m.label, f2(m.clipsPerSecond), f1(m.lqFramesPerSecond), reps, f1(m.wallMsPerClip),
                              f1(m.cpuMsPerClip), f2(m.clipsPerCPUSecond), f1(m.bestCPUMsPerClip), mb(m.peakRSSBytes)],
                             widths: modeWidths))
        }
        lines.append("")
        // Per-op milliseconds per clip: wall and CPU for each mode.
        var header = ["ms per clip"]
        var widths = [20]
        for m in r.modes {
            header += [short(m.mode) + " wall", "CPU"]
            widths += [12, 7]
        }
        lines.append(row(header, widths: widths))
        let names = r.modes.flatMap { $0.ops.keys }
        let ordered = opOrder.filter(names.contains) + Set(names).subtracting(opOrder).sorted()
        for op in ordered {
            var cells = [op]
            for m in r.modes {
                let t = m.ops[op] ?? .init()
                cells += [f1(t.wallMs), f1(t.cpuMs)]
            }
            lines.append(row(cells, widths: widths))
        }
        var enc = ["  codec encode (lib)"], dec = ["  codec decode (lib)"], lib = ["  inside libavcodec"]
        var total = ["total"], rest = ["non-codec"], ratio = ["non-codec / codec"]
        for m in r.modes {
            enc += [f1(m.codecEncode.wallMs), f1(m.codecEncode.cpuMs)]
            dec += [f1(m.codecDecode.wallMs), f1(m.codecDecode.cpuMs)]
            let codecWall = m.codecEncode.wallMs + m.codecDecode.wallMs, codecCPU = m.codecEncode.cpuMs + m.codecDecode.cpuMs
            lib += [f1(codecWall), f1(codecCPU)]
            let wall = m.ops.values.reduce(0) { $0 + $1.wallMs }
            let cpu = m.ops.values.reduce(0) { $0 + $1.cpuMs }
            total += [f1(wall), f1(cpu)]
            rest += [f1(wall - codecWall), f1(cpu - codecCPU)]
            // The engine's target: everything but the codec library costs no more than the codec itself (≤ 1).
            ratio += [codecWall > 0 ? f2((wall - codecWall) / codecWall) : "-", codecCPU > 0 ? f2((cpu - codecCPU) / codecCPU) : "-"]
        }
        for cells in [enc, dec, lib, total, rest, ratio] { lines.append(row(cells, widths: widths)) }
        let digests = Set(r.modes.map(\.outputDigest))
        lines.append("")
        lines.append(digests.count == 1
            ? "  outputs identical across modes (digest \(r.modes[0].outputDigest))"
            : "  OUTPUTS DIFFER ACROSS MODES: " + r.modes.map { "\($0.label) \($0.outputDigest)" }.joined(separator: ", "))
        lines.append("  clips/s = jobs / mean wall time of a sample; CPU = thread (or, with frame threads, process) CPU time,")
        lines.append("  meaningful when other processes share the cores; best CPU = per sample the least over its repeats, averaged.")
        lines.append("  * peak RSS while degrading, making the inputs included")
        if r.modes.contains(where: { !$0.peakWasReset }) {
            lines.append("  (peak RSS could not be reset between modes: it is the process's peak so far)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func short(_ mode: BenchMode) -> String {
        switch mode {
        case .serial: "1×1"
        case .clipJobs(let n): "\(n)×1"
        case .frameThreads(let n): "1×\(n)"
        }
    }

    static func row(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).enumerated().map { i, cw in
            let (c, w) = cw
            let pad = String(repeating: " ", count: max(0, w - c.count))
            return i == 0 ? "  " + c + pad : " " + pad + c
        }.joined()
    }

    static func f1(_ v: Double) -> String { String(format: "%.1f", v) }
    static func f2(_ v: Double) -> String { String(format: "%.2f", v) }
    static func mb(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1_048_576) }
}
