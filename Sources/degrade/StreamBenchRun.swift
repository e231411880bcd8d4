import DegradeEngine
import DegradeMedia
import DegradeOps
import DegradeRender
import Foundation

/// One sample of `bench --stream`: what `StreamSampler.sample` cost, photo decoding and pan rendering included.
struct StreamBenchSample: Codable {
    var index: Int
    var key: String
    var cpuMs: Double
    var wallMs: Double
}

/// The `bench --stream --json` document.
struct StreamBenchReport: Codable {
    var tool: String
    var recipe: String
    var seed: UInt64
    var epoch: Int
    var samplesPerEpoch: Int
    var cpuMsPerSample: Double
    var samples: [StreamBenchSample]
}

extension BenchCommand {
    /// `bench --stream N`: samples 0..<N of epoch --epoch of the native training stream, one after another on this
    /// thread, each timed in process CPU (all threads: what a Python caller's `time.process_time` sees). These are the
    /// same samples, by key, as the Python bridge's `Stream(recipe, input, seed, kind="pan", pan_frames=recipe frames,
    /// pan_size=--pan-size, samples_per_epoch=N)` — tools/bench-python times both and compares them pair by pair.
    func runStream(_ count: Int) throws {
        let base = try RecipeParser.load(recipe, overrides: try overrides.overrides())
        let source = try PanSource(stills: StillsSource(folder: input), frames: base.clip.frames ?? 30,
                                   width: panSize.width, height: panSize.height)
        let maker = SampleMaker(recipe: base, seed: seed, source: source, executor: Executor(threads: 1))
        let origin = StreamOrigin.render(maker)
        let sampler = try StreamSampler(origin: origin, seed: seed, clips: try StreamSampler.clips(of: origin), samplesPerEpoch: count)
        // Untimed warm-up (FFTW plans, codec tables, allocator), on a sample outside the timed ones.
        for _ in 0..<warmup { _ = try sampler.sample(epoch: epoch + 1, index: 0) }
        var rows: [StreamBenchSample] = []
        for i in 0..<count {
            let c0 = ProcessResources.cpuSeconds(), w0 = ThreadClock.wallSeconds()
            let s = try sampler.sample(epoch: epoch, index: i)
            rows.append(StreamBenchSample(index: i, key: s.key, cpuMs: (ProcessResources.cpuSeconds() - c0) * 1000,
                                          wallMs: (ThreadClock.wallSeconds() - w0) * 1000))
        }
        let mean = rows.reduce(0) { $0 + $1.cpuMs } / Double(max(1, rows.count))
        print(String(format: "stream %@ seed %llu epoch %d: %d samples, %.1f CPU ms per sample (photo decode, pan and engine)",
                     base.name, seed, epoch, count, mean))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = StreamBenchReport(tool: "degrade \(DegradeVersion.string)", recipe: base.name, seed: seed, epoch: epoch,
                                           samplesPerEpoch: count, cpuMsPerSample: mean, samples: rows)
            try AtomicFile.write(Array(try encoder.encode(report)), to: json)
            Console.note("wrote \(json)")
        }
    }
}
