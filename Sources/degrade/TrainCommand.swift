import ArgumentParser
import DegradeEngine
import DegradeMedia
import DegradeRender
import DegradeTensor
import DegradeTrain
import Foundation

/// Trains the RealBasicVSR-style generator on the degradation stream, with crash-safe checkpoints.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a RealBasicVSR-style ×4 network on the degradation stream (pixel + cleaning loss; perceptual and GAN terms for stage 2).",
        discussion: """
            Writes DIR/ckpt-NNNNNN/ (generator, EMA and optimizer safetensors + state.json with a checksum per file) \
            and DIR/metrics.jsonl, whose scalars also go to a TensorBoard event file DIR/events.out.tfevents.* \
            (`tensorboard --logdir DIR`; a resumed run starts a new one). One process at a time writes DIR: a \
            second one exits with status 2.

            SIGINT/SIGTERM checkpoint and exit cleanly. --resume continues from the newest intact checkpoint (a \
            damaged newer one, with a missing or truncated file, changed bits or non-finite values, is skipped and \
            named) and, with the same config and thread count, reaches bitwise the same weights as an uninterrupted \
            run. --resume with a total below the checkpoint's iteration is refused (status 2). --dry-run checks the \
            recipe, the data, the validation set and init_from as a run would.

            Non-finite steps are skipped and logged; after max_consecutive_skips in a row the last good checkpoint \
            is reloaded with half the learning rate. After max_fruitless_reloads reloads with no finite step in \
            between, or when every step of a run is skipped, training stops with status 1 naming the last good \
            checkpoint. Checkpoints are only written from a finite state, and rotation keeps the last good one.

              degrade train recipes/train-realbasicvsr-tiny.yaml --out runs/tiny --dry-run
              degrade train recipes/train-realbasicvsr-tiny.yaml --out runs/tiny

            Data-parallel over MPI: mpirun -n N degrade train CONFIG --out DIR. Each rank trains on its own share of \
            every step's N × batch stream samples; gradients are averaged with MPI_Allreduce, every rank steps the same \
            Adam state, and rank 0 alone writes DIR (which must be on storage every rank can read, for --resume). The \
            effective batch is N × batch; the LR is the config's, or × N with optimizer.linear_lr_scaling. --resume \
            needs the same N unless --accept-world-size-change. MPI is initialised only under mpirun.
            """)

    @Argument(help: "Train config YAML (recipes/train-*.yaml).") var config: String
    @OptionGroup(title: "Overrides (applied to the train config)") var overrides: OverrideOptions
    @Option(name: .long, help: "Output folder for checkpoints and metrics.") var out: String
    @Flag(name: .long, help: "Continue from the newest complete checkpoint in --out.") var resume = false
    @Flag(name: .long, help: "Check the config, recipe and data, print estimated peak memory and FLOPs per step, then exit.") var dryRun = false
    @Option(name: .long, help: "Total iterations, overriding the config's.") var iterations: Int?
    @Flag(name: .long, help: "No progress lines.") var quiet = false
    @Option(name: .long, help: "Time N training steps on random in-memory batches of the config's shape (nothing is written), then exit.")
    var benchmark: Int?
    @Option(name: .long, help: "Threads, overriding the config's (e.g. for --benchmark).") var threads: Int?
    @Flag(name: .customLong("accept-world-size-change"), help: "With --resume under mpirun: continue a run written by another number of ranks (not bitwise what either gives).")
    var acceptWorldSizeChange = false
    @Flag(name: .customLong("allreduce-sweep"), help: "Under mpirun: time MPI_Allreduce of 4 B … 64 MB floats (latency, bandwidth), then exit.")
    var allreduceSweep = false
    @Flag(name: .long, help: "A sample whose source frames cannot be read (a damaged video window, a broken frame file) is replaced by the next sample of the stream instead of stopping the run; each is reported, and counted in the progress lines and the final summary (as data.skip_bad_samples: true; pass it again with --resume).")
    var skipBadSamples = false

    func validate() throws {
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
        if let benchmark, benchmark < 1 { throw ValidationError("--benchmark must be at least 1") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be within 1…256") }
    }

    func run() throws {
        let mpi = try MPICommunicator.launched()
        guard let communicator = mpi, communicator.size > 1 else {
            mpi?.finish()  // mpirun -n 1: a plain run
            if allreduceSweep { throw TrainError("--allreduce-sweep measures MPI: start it with mpirun -n 2 or more") }
            return try train(SingleProcess())
        }
        do {
            try train(communicator)
        } catch {
            // A lone exit would leave the other ranks waiting in a collective: end the whole job.
            Console.error("rank \(communicator.rank): \(error)")
            communicator.abort(status: ExitStatus.for(error, argumentParserCode: 1))
        }
        communicator.finish()
    }

    private func train(_ communicator: any Communicator) throws {
        let writer = communicator.isWriter
        let quiet = self.quiet || !writer
        if allreduceSweep {
            let points = try AllreduceBenchmark.run(communicator)
            if writer {
                print("MPI_Allreduce (float sum, \(communicator.size) ranks): bytes, µs per call, GB/s")
                for p in points { print(String(format: "%d\t%.2f\t%.3f", p.bytes, p.microseconds, p.gigabytesPerSecond)) }
            }
            return
        }
        var c = try TrainConfigParser.load(config, overrides: try overrides.overrides())
        if let iterations { c.iterations = iterations }
        if let threads { c.threads = threads }
        if skipBadSamples { c.data.skipBadSamples = true }
        let cost = TrainingCost(config: c, sampleBytes: try? sampleBytes(c))
        if dryRun {
            _ = try Self.preflight(c, resume: resume)
            if writer { print(Self.describe(cost, c)) }
            return
        }
        if let benchmark {
            let r = try TrainBenchmark.run(c, steps: benchmark, communicator: communicator)
            guard writer else { return }
            print(String(format: "%d steps, %d thread(s): %.1f ms/step, %.2f samples/s, %.1f GFLOP/s (%.2f GFLOP/step)",
                         r.steps, c.threads, r.secondsPerStep * 1000, r.samplesPerSecond, r.gflopsPerSecond, r.stepGFLOP)
                  + (communicator.size > 1 ? String(format: "; %d ranks, gradient allreduce %.2f ms/step (%.1f%%), waiting for the slowest rank %.2f ms/step (%.1f%%)",
                                                      communicator.size, r.allreduceSecondsPerStep * 1000, 100 * r.allreduceSecondsPerStep / r.secondsPerStep,
                                                      r.waitSecondsPerStep * 1000, 100 * r.waitSecondsPerStep / r.secondsPerStep) : ""))
            return
        }
        var inputs: [(option: String, path: String)] = []
        if let source = c.data.source { inputs.append(("data.source.input", source.path)) }
        if let set = c.data.renderedSet { inputs.append(("data.rendered_set", set)) }
        if let set = c.validation.set { inputs.append(("validation.set", set)) }
        try PathOverlap.check(output: out, inputs: inputs)
        if resume && !FileManager.default.fileExists(atPath: out) {
            throw TrainError("\(out): no such folder to resume from (drop --resume to start a new run)")
        }
        // Everything that can be refused is checked before the output folder is touched.
        let origin = try Self.preflight(c, resume: resume)
        let plugins = try c.stageTwoPlugins()
        if communicator.size > 1 && !plugins.isEmpty {
            throw TrainError("\(config): stage-2 terms (perceptual/GAN) do not train data-parallel yet: the discriminator's updates are not averaged over ranks. Run this config without mpirun")
        }
        let validation = try c.validation.set.map {
            var set = try ValidationSet(root: $0, maxClips: c.validation.maxClips, cropBorder: c.validation.cropBorder)
            set.niqe = c.validation.niqe
            return set
        }
        // Held until the process ends: a second train (or render) into the same folder is refused, not raced.
        // Rank 0 alone writes --out, so it alone holds the lock.
        var lock: OutputLock?
        if writer { lock = try OutputLock.claim(out) }
        defer { lock?.release() }
        ComputeContext(threads: c.threads).activate()
        let stop = StopSignal()
        stop.installHandlers()
        let config = c
        let skips = SkippedSamples()
        let onSkip: (SkippedSample) -> Void = { skipped in
            skips.all.append(skipped)
            Console.note("\(communicator.size > 1 ? "rank \(communicator.rank): " : "")skipped bad sample \(skipped) — replaced by the next sample of the stream")
        }
        let trainer = try Trainer(config: c, outputFolder: out, resume: resume, plugins: plugins, communicator: communicator,
                                  acceptWorldSizeChange: acceptWorldSizeChange,
                                  notice: { if writer { Console.note($0) } }) { cursor -> BatchSource in
            guard communicator.size > 1 else { return try StreamBatchSource(origin: origin, config: config, cursor: cursor, onSkip: onSkip) }
            return try ShardedBatchSource(origin: origin, config: config, cursor: cursor, rank: communicator.rank, size: communicator.size, onSkip: onSkip)
        }
        if trainer.state.iteration > c.iterations {
            let given = iterations != nil ? "--iterations \(c.iterations)" : "the config's iterations: \(c.iterations)"
            throw TrainError("\(trainer.lastWritten ?? out) is at iteration \(trainer.state.iteration), past \(given); pass --iterations \(trainer.state.iteration) or more to continue this run, or choose another --out")
        }
        if writer && resume && trainer.state.threads != c.threads {
            Console.note("note: the checkpoint was written with \(trainer.state.threads) threads, this run uses \(c.threads); results may differ in the last bits")
        }
        trainer.validation = writer ? validation : nil  // the others would only wait for rank 0 at the next step
        // The config as this run read it (overrides applied): the run is reproducible from its folder alone. A resume
        // rewrites it; the checkpoints' config hash has already refused one that would train differently.
        if writer {
            try AtomicFile.write(Array("# \(config) as this run read it (relative paths are relative to that file's folder)\n\(c.source)".utf8),
                                 to: "\(out)/config.yaml", durable: false)
        }
        if !quiet { Console.note(Self.describe(cost, c)) }
        if !quiet && communicator.size > 1 {
            let lr = c.optimizer.lr * (c.optimizer.linearLRScaling == true ? Double(communicator.size) : 1)
            Console.note(String(format: "data-parallel: %d ranks × batch %d = effective batch %d; peak LR %.3g%@", communicator.size, c.batch,
                                communicator.size * c.batch, lr, c.optimizer.linearLRScaling == true ? " (linear scaling × \(communicator.size))" : ""))
        }
        if !quiet && resume { Console.note("resuming at iteration \(trainer.state.iteration)") }
        if writer && resume && trainer.state.iteration == c.iterations {
            Console.note("note: \(out) already reached iteration \(c.iterations); nothing to train (pass --iterations to extend the run)")
        }
        let started = Date()
        let first = trainer.state.iteration
        let every = max(1, c.iterations / 100)
        let outcome: Trainer.Outcome
        do {
            outcome = try trainer.run(until: c.iterations, stop: { stop.isRaised }) { r in
                guard !quiet, r.iteration % every == 0 || r.iteration == c.iterations else { return }
                let rate = Double(r.iteration - first) / max(1e-9, Date().timeIntervalSince(started))
                let bad = c.data.skipBadSamples == true ? "  bad samples \(skips.all.count)" : ""
                Console.note(String(format: "iter %d/%d  loss %.5f (pix %.5f clean %.5f)  lr %.2e  %.2f it/s  skipped %d",
                                    r.iteration, c.iterations, r.lossTotal, r.lossPixel, r.lossClean, r.learningRate,
                                    rate, trainer.state.skipped) + bad)
            }
        } catch let e as TrainingDiverged {
            if writer { writeReport(c) }
            throw e
        }
        guard writer else { return }
        writeReport(c)
        if c.data.skipBadSamples == true { Console.note(skips.summary) }
        switch outcome {
        case .stopped:
            if let written = trainer.lastWritten, written.hasSuffix(CheckpointStore.folderName(trainer.state.iteration)) {
                print("stopped at iteration \(trainer.state.iteration); checkpoint written, continue with --resume → \(out)")
            } else {
                print("stopped at iteration \(trainer.state.iteration); its state was non-finite, so no checkpoint was written; --resume continues from \(trainer.lastWritten ?? "the newest checkpoint") → \(out)")
            }
        case .finished:
            print("trained \(trainer.state.iteration) iterations (\(trainer.state.skipped) skipped) → \(out)")
        }
    }

    /// The checks a run makes before it writes anything (also all that `--dry-run` does besides estimating): the
    /// recipe, the data source or rendered set, the validation set and an `init_from` checkpoint.
    static func preflight(_ c: TrainConfig, resume: Bool) throws -> StreamOrigin {
        let origin = try StreamBatchSource.origin(for: c)
        if let set = c.validation.set { _ = try RenderedSet(root: set) }
        if !resume, let start = c.initFrom { _ = try RealBasicVSRNet.load(checkpoint: start) }
        return origin
    }

    /// `training.html` from the metrics so far; a failure here only costs the report.
    private func writeReport(_ c: TrainConfig) {
        let report = "\(out)/training.html"
        do {
            _ = try TrainingReport.write(metricsPath: "\(out)/metrics.jsonl", to: report, title: c.name)
            if !quiet { Console.note("report: \(report)") }
        } catch {
            Console.note("note: could not write \(report): \(error)")
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
            network: \(c.network.channels) channels, \(c.network.cleaningBlocks) cleaning + \(c.network.propagationBlocks) propagation blocks, alignment \(c.network.alignment.rawValue), upsampling \(c.network.hrChannels) wide, \(cost.parameterCount) parameters
            batch \(c.batch) × \(c.data.frames) frames, LQ \(c.data.patch)² → GT \(c.data.patch * 4)², \(c.threads) thread(s)
            estimated peak memory \(mib(cost.peakBytes)) (activations+grads \(mib(cost.activationBytes)), parameters+Adam+EMA \(mib(cost.parameterBytes)), prefetch \(mib(cost.prefetchBytes)))
            \(String(format: "FLOPs per step: %.2f GFLOP forward, %.2f GFLOP backward, %.2f GFLOP total", cost.forwardFLOPs / 1e9, cost.backwardFLOPs / 1e9, cost.stepFLOPs / 1e9))
            """
    }
}

/// The samples a run skipped for unreadable source frames, for its final summary.
final class SkippedSamples {
    var all: [SkippedSample] = []

    /// How many were skipped, and where: each file with the reasons given for it.
    var summary: String {
        guard !all.isEmpty else { return "bad samples: none skipped" }
        let byFile = Dictionary(grouping: all, by: \.file).sorted { $0.key < $1.key }
        let lines = byFile.map { file, samples in
            "  \(file): \(samples.count) sample(s): " + Set(samples.map(\.reason)).sorted().joined(separator: "; ")
        }
        return (["bad samples: \(all.count) skipped (each replaced by the next sample of the stream)"] + lines).joined(separator: "\n")
    }
}
