import ArgumentParser
import DegradeEngine
import DegradeTensor
import DegradeTrain
import Foundation

/// Trains the RealBasicVSR-style generator on the degradation stream, with crash-safe checkpoints.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a RealBasicVSR-style ×4 network on the degradation stream (pixel + cleaning loss; perceptual and GAN terms for stage 2).",
        discussion: """
            Writes DIR/ckpt-NNNNNN/ (generator, EMA and optimizer safetensors + state.json), DIR/metrics.jsonl.
            SIGINT/SIGTERM checkpoint and exit cleanly; --resume continues from the newest complete checkpoint and,
            with the same config and thread count, reaches bitwise the same weights as an uninterrupted run.
            Non-finite steps are skipped and logged; after max_consecutive_skips in a row the last checkpoint is
            reloaded with half the learning rate.
              degrade train recipes/train-realbasicvsr-tiny.yaml --out runs/tiny --dry-run
              degrade train recipes/train-realbasicvsr-tiny.yaml --out runs/tiny
            """)

    @Argument(help: "Train config YAML (recipes/train-*.yaml).") var config: String
    @Option(name: .long, help: "Output folder for checkpoints and metrics.") var out: String
    @Flag(name: .long, help: "Continue from the newest complete checkpoint in --out.") var resume = false
    @Flag(name: .long, help: "Print estimated peak memory and FLOPs per step, then exit.") var dryRun = false
    @Option(name: .long, help: "Total iterations, overriding the config's.") var iterations: Int?
    @Flag(name: .long, help: "No progress lines.") var quiet = false
    @Option(name: .long, help: "Time N training steps on random in-memory batches of the config's shape (nothing is written), then exit.")
    var benchmark: Int?
    @Option(name: .long, help: "Threads, overriding the config's (e.g. for --benchmark).") var threads: Int?

    func validate() throws {
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
        if let benchmark, benchmark < 1 { throw ValidationError("--benchmark must be at least 1") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be within 1…256") }
    }

    func run() throws {
        var c = try TrainConfigParser.load(config)
        if let iterations { c.iterations = iterations }
        if let threads { c.threads = threads }
        let cost = TrainingCost(config: c, sampleBytes: try? sampleBytes(c))
        if dryRun {
            print(Self.describe(cost, c))
            return
        }
        if let benchmark {
            let r = try TrainBenchmark.run(c, steps: benchmark)
            print(String(format: "%d steps, %d thread(s): %.1f ms/step, %.2f samples/s, %.1f GFLOP/s (%.2f GFLOP/step)",
                         r.steps, c.threads, r.secondsPerStep * 1000, r.samplesPerSecond, r.gflopsPerSecond, r.stepGFLOP))
            return
        }
        ComputeContext(threads: c.threads).activate()
        let stop = StopSignal()
        stop.installHandlers()
        let origin = try StreamBatchSource.origin(for: c)
        let config = c
        let trainer = try Trainer(config: c, outputFolder: out, resume: resume, plugins: try c.stageTwoPlugins()) { cursor in
            try StreamBatchSource(origin: origin, config: config, cursor: cursor)
        }
        if resume && trainer.state.threads != c.threads {
            Console.note("note: the checkpoint was written with \(trainer.state.threads) threads, this run uses \(c.threads); results may differ in the last bits")
        }
        trainer.notice = { Console.note($0) }
        if let set = c.validation.set {
            trainer.validation = try ValidationSet(root: set, maxClips: c.validation.maxClips, cropBorder: c.validation.cropBorder)
        }
        if !quiet { Console.note(Self.describe(cost, c)) }
        if !quiet && resume { Console.note("resuming at iteration \(trainer.state.iteration)") }
        let started = Date()
        let first = trainer.state.iteration
        let every = max(1, c.iterations / 100)
        let outcome = try trainer.run(until: c.iterations, stop: { stop.isRaised }) { r in
            guard !quiet, r.iteration % every == 0 || r.iteration == c.iterations else { return }
            let rate = Double(r.iteration - first) / max(1e-9, Date().timeIntervalSince(started))
            Console.note(String(format: "iter %d/%d  loss %.5f (pix %.5f clean %.5f)  lr %.2e  %.2f it/s  skipped %d",
                                r.iteration, c.iterations, r.lossTotal, r.lossPixel, r.lossClean, r.learningRate,
                                rate, trainer.state.skipped))
        }
        let report = "\(out)/training.html"
        do {
            _ = try TrainingReport.write(metricsPath: "\(out)/metrics.jsonl", to: report, title: c.name)
            if !quiet { Console.note("report: \(report)") }
        } catch {
            Console.note("note: could not write \(report): \(error)")
        }
        switch outcome {
        case .stopped:
            print("stopped at iteration \(trainer.state.iteration); checkpoint written, continue with --resume → \(out)")
        case .finished:
            print("trained \(trainer.state.iteration) iterations (\(trainer.state.skipped) skipped) → \(out)")
        }
    }

    /// One stream sample's bytes from the recipe's crop and frame count (LQ + GT + USM GT), when it sets them.
    private func sampleBytes(_ c: TrainConfig) throws -> Double? {
        guard c.data.renderedSet == nil else { return nil }
        let r = try RecipeParser.load(c.recipePath)
        guard let crop = r.clip.cropSize else { return nil }
        let frames = Double((r.clip.frames ?? c.data.frames) * (r.clip.mirror ? 2 : 1))
        let gt = Double(crop * crop * 3 * 4)
        return frames * (gt * 2 + gt / Double(r.scale * r.scale))
    }

    static func describe(_ cost: TrainingCost, _ c: TrainConfig) -> String {
        func mib(_ b: Double) -> String { String(format: "%.1f MiB", b / 1_048_576) }
        return """
            network: \(c.network.channels) channels, \(c.network.cleaningBlocks) cleaning + \(c.network.propagationBlocks) propagation blocks, \(cost.parameterCount) parameters
            batch \(c.batch) × \(c.data.frames) frames, LQ \(c.data.patch)² → GT \(c.data.patch * 4)², \(c.threads) thread(s)
            estimated peak memory \(mib(cost.peakBytes)) (activations+grads \(mib(cost.activationBytes)), parameters+Adam+EMA \(mib(cost.parameterBytes)), prefetch \(mib(cost.prefetchBytes)))
            \(String(format: "FLOPs per step: %.2f GFLOP forward, %.2f GFLOP backward, %.2f GFLOP total", cost.forwardFLOPs / 1e9, cost.backwardFLOPs / 1e9, cost.stepFLOPs / 1e9))
            """
    }
}
