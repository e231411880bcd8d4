import DegradeMedia
import DegradeTensor
import Foundation

/// What one step did.
public struct StepRecord: Sendable {
    public var iteration: Int
    public var lossPixel: Double
    public var lossClean: Double
    public var lossTotal: Double
    public var learningRate: Double
    var gradNorm: Double
    /// True when the loss or gradient was non-finite and nothing was updated.
    public var skipped: Bool
    /// True when this skip triggered a reload of the last checkpoint with a halved LR.
    public var reloaded: Bool
    public var keys: [String]
    public var seconds: Double
}

/// The stage-1 training loop (RealBasicVSR without GAN):
///
/// `loss = w_pix · pixel(out, target) + w_clean · L1(cleaned, area↓4(target))` with `pixel` L1 or Charbonnier,
/// `target` the USM-sharpened GT; then global-norm clipping, Adam (β 0.9 / 0.99), EMA of the weights.
///
/// Stability: a non-finite loss or gradient norm skips the step before anything is touched (weights, Adam, EMA);
/// the skip is counted and logged with the batch's keys. After `max_consecutive_skips` skips in a row the weights,
/// EMA and Adam state of the newest known-good checkpoint (written at a finite step, no reload pending) are
/// reloaded and the LR is halved (`lrScale`); the iteration counter and the stream continue forward, past the bad
/// data. After `max_fruitless_reloads` reloads with no finite step in between the run stops (`TrainingDiverged`,
/// naming the last good checkpoint), as does a run whose every step was skipped. A checkpoint is only written from
/// a finite state, and rotation never removes the last good one.
///
/// Determinism: the data (stream position = `state.streamCursor`), patch positions, initial weights and LR are
/// functions of the seed and the iteration, so for a fixed thread count a run resumed from a checkpoint reaches
/// bitwise the same weights as an uninterrupted one.
public final class Trainer {
    public let config: TrainConfig
    public let network: RealBasicVSRNet
    public let adam: Adam
    public let ema: ExponentialMovingAverage
    public let schedule: LearningRateSchedule
    public private(set) var state: TrainState
    /// Output folder (checkpoints, metrics.jsonl).
    public let outputFolder: String
    public let metrics: MetricsLog
    /// Stage-2 objectives and their state (see `TrainerPlugin`), fixed at creation so checkpoints carry them.
    public let plugins: [TrainerPlugin]
    public var validation: ValidationSet?
    /// Receives human-readable notices (skips, reloads, validation scores).
    public var notice: (String) -> Void = { _ in }
    /// The newest checkpoint known to hold a good state: the one a reload returns to, spared by rotation.
    public private(set) var lastGood: String?
    /// The newest checkpoint this trainer wrote or resumed from.
    public private(set) var lastWritten: String?
    private var source: BatchSource
    /// The processes of a data-parallel run (`SingleProcess` for a plain run): gradients and losses are averaged
    /// over them, and only rank 0 writes to `outputFolder`.
    public let communicator: any Communicator
    private let averager: GradientAverager

    /// A fresh run (writing `ckpt-000000` so a reload always has a checkpoint) or, with `resume`, the newest
    /// intact checkpoint in `outputFolder`: damaged newer ones are skipped, each reported through `notice`.
    /// `makeSource(cursor)` builds the batch source at a stream position.
    /// - Throws: `TrainError` (another config or seed, no usable checkpoint), `CheckpointDamage` (`init_from`).
    public init(config: TrainConfig, outputFolder: String, resume: Bool, plugins: [TrainerPlugin] = [],
                communicator: any Communicator = SingleProcess(), acceptWorldSizeChange: Bool = false,
                notice: @escaping (String) -> Void = { _ in }, makeSource: @escaping (Int) throws -> BatchSource) throws {
        self.config = config
        self.communicator = communicator
        averager = GradientAverager(communicator: communicator)
        self.notice = notice
        self.plugins = plugins
        self.outputFolder = outputFolder
        network = RealBasicVSRNet(configuration: config.network, seed: config.seed)
        if !resume, let start = config.initFrom {
            // Stage 2 starts from a stage-1 checkpoint's EMA generator (mmedit's `load_from`); optimizer state
            // and the iteration count start fresh.
            let stageOne = try RealBasicVSRNet.load(checkpoint: start)
            guard stageOne.hrChannels == network.hrChannels else {
                throw TrainError("init_from \(start): its upsampling is \(stageOne.hrChannels) channels wide (this config's network.hr_channels is \(network.hrChannels)), so its weights do not fit; set network.hr_channels: \(stageOne.hrChannels) (checkpoints written before degrade adopted mmagic's layout have it equal to channels) or start without init_from")
            }
            // An unaligned checkpoint may start an aligned run: SPyNet keeps its fresh zero-flow initialisation.
            try network.load(weights: stageOne.weights(), from: start, flowOptional: true)
        }
        let params = network.parameters
        adam = Adam(parameters: params, configuration: .init(learningRate: config.optimizer.lr,
                                                             beta1: config.optimizer.beta1, beta2: config.optimizer.beta2))
        let flow = Set(network.flowParameters.map { ObjectIdentifier($0) })
        adam.learningRateMultipliers = params.map { flow.contains(ObjectIdentifier($0)) ? config.optimizer.spynetLRMultiplier : 1 }
        ema = ExponentialMovingAverage(parameters: params, decay: config.optimizer.ema)
        schedule = LearningRateSchedule(config: config)
        if communicator.isWriter { try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true) }
        // Ranks other than 0 write nothing: their log lines go nowhere.
        let metricsPath = communicator.isWriter ? "\(outputFolder)/metrics.jsonl" : "/dev/null"
        var s = TrainState()
        if resume {
            let (folder, loaded) = try Trainer.resumePoint(in: outputFolder, network: network, adam: adam, ema: ema,
                                                           configHash: config.fingerprint, plugins: plugins, notice: notice)
            s = loaded
            guard s.seed == config.seed else { throw TrainError("\(folder) was trained with seed \(s.seed), the config says \(config.seed)") }
            let trainedOn = s.worldSize ?? 1
            if trainedOn != communicator.size {
                guard acceptWorldSizeChange else {
                    throw TrainError("\(folder) was trained by \(trainedOn) process(es), this run has \(communicator.size): a different number of ranks changes the batch per step and which samples each step sees, so the run would not continue bitwise. Resume with mpirun -n \(trainedOn)\(trainedOn == 1 ? " (or without mpirun)" : ""), or pass --accept-world-size-change to continue anyway")
                }
                notice("note: \(folder) was trained by \(trainedOn) process(es), this run has \(communicator.size) (--accept-world-size-change): the stream continues from sample \(s.streamCursor) with \(communicator.size * config.batch) samples per step; not bitwise what either size alone gives")
            }
            s.worldSize = communicator.size > 1 ? communicator.size : nil
            lastWritten = folder
            lastGood = s.isKnownGood ? folder : CheckpointStore.knownGood(in: outputFolder, atMost: s.iteration).first
            metrics = try MetricsLog(path: metricsPath, truncateAfter: communicator.isWriter ? s.iteration : nil)
        } else {
            // Only rank 0 looks: the others would see the checkpoint rank 0 is writing.
            guard !communicator.isWriter || CheckpointStore.list(in: outputFolder).isEmpty else {
                throw TrainError("\(outputFolder) already holds checkpoints; pass --resume to continue, or choose another --out")
            }
            s.configHash = config.fingerprint
            s.seed = config.seed
            s.threads = config.threads
            s.worldSize = communicator.size > 1 ? communicator.size : nil
            metrics = try MetricsLog(path: metricsPath, truncateAfter: communicator.isWriter ? 0 : nil)
        }
        state = s
        source = try makeSource(s.streamCursor)
        if !resume { try checkpoint() }
    }

    /// Samples the batch source has consumed (equals `state.streamCursor` between steps).
    var cursor: Int { source.cursor }

    /// Runs one iteration.
    public func step() throws -> StepRecord {
        let start = Date()
        let iteration = state.iteration + 1
        let ranks = config.optimizer.linearLRScaling == true ? Double(communicator.size) : 1
        let lr = schedule.rate(at: iteration - 1) * state.lrScale * ranks
        adam.configuration.learningRate = lr
        let batch = try source.next()
        state.streamCursor = source.cursor
        state.iteration = iteration
        // SPyNet is frozen (no gradient, no update) for the first `spynet_frozen_iterations` steps.
        let flowTrains = iteration > config.optimizer.spynetFrozenIterations
        for p in network.flowParameters { p.isTrainable = flowTrains }
        let (output, cleaned) = network.forward(batch.lq)
        let (n, t) = (batch.target.shape[0], batch.target.shape[1])
        let flatOut = output.reshaped([n * t, 3, batch.target.shape[3], batch.target.shape[4]])
        let flatTarget = batch.target.reshaped(flatOut.shape)
        let pixel = config.loss.pixel == .charbonnier ? Loss.charbonnier(flatOut, flatTarget) : Loss.l1(flatOut, flatTarget)
        let cleanTarget = flatTarget.downsampleArea(factor: RealBasicVSRNet.scale)
        let clean = Loss.l1(cleaned.reshaped(cleanTarget.shape), cleanTarget)
        var total = pixel * Float(config.loss.pixelWeight) + clean * Float(config.loss.cleanWeight)
        var pluginLosses: [String: Double] = [:]
        for plugin in plugins {
            guard let term = plugin.generatorLoss(output: flatOut, target: flatTarget) else { continue }
            pluginLosses["loss_\(plugin.name)"] = Double(term.scalar)
            total = total + term
        }
        // The losses of the whole (all-rank) batch: a non-finite loss on any rank makes every rank skip.
        let losses = try communicator.sum([Double(pixel.scalar), Double(clean.scalar), Double(total.scalar)]).map { $0 / Double(communicator.size) }
        var record = StepRecord(iteration: iteration, lossPixel: losses[0], lossClean: losses[1],
                                lossTotal: losses[2], learningRate: lr, gradNorm: .nan, skipped: false,
                                reloaded: false, keys: batch.keys, seconds: 0)
        var finite = record.lossTotal.isFinite
        var overflowed = false
        if finite {
            var gradients = total.backward()
            let params = network.parameters
            try averager.average(&gradients, parameters: params)
            let norm = gradients.globalNorm(of: params)
            record.gradNorm = Double(norm)
            finite = norm.isFinite
            if finite {
                if let clip = config.optimizer.gradClip { gradients.clipByGlobalNorm(Float(clip), parameters: params) }
                adam.step(gradients)
                ema.update()
                // A finite gradient can still overflow the weights (an extreme LR): that state is lost, only a
                // reload can undo it.
                overflowed = !params.allSatisfy { $0.value.scalars.allSatisfy(\.isFinite) }
                finite = !overflowed
                if finite {
                    state.consecutiveSkips = 0
                    state.fruitlessReloads = 0
                    for plugin in plugins {
                        try plugin.afterGeneratorStep(output: flatOut.detached(), target: flatTarget)
                    }
                }
            }
        }
        if !finite {
            record.skipped = true
            state.skipped += 1
            state.consecutiveSkips += 1
            let what = overflowed ? "weights after the update" : record.lossTotal.isFinite ? "gradient norm" : "loss"
            let untouched = overflowed ? "reloading the last good checkpoint" : "weights and optimizer untouched"
            notice("iteration \(iteration): non-finite \(what), step skipped (samples \(batch.keys.joined(separator: ", ")))")
            metrics.append(.event("skip", iteration: iteration, message: "non-finite \(what); \(untouched)", keys: batch.keys))
            if overflowed || state.consecutiveSkips >= config.maxConsecutiveSkips {
                if state.fruitlessReloads >= config.maxFruitlessReloads {
                    throw diverged("stopped at iteration \(iteration) after \(state.fruitlessReloads) reload(s) of the last good checkpoint in a row (max_fruitless_reloads: \(config.maxFruitlessReloads)), each halving the LR (scale now \(state.lrScale)) and each followed by \(config.maxConsecutiveSkips) more non-finite steps or an overflowing update")
                }
                try reloadLastCheckpoint(after: overflowed ? "a non-finite update" : "\(config.maxConsecutiveSkips) consecutive skipped steps")
                record.reloaded = true
            }
        }
        record.seconds = Date().timeIntervalSince(start)
        var line = MetricsRecord(iteration: iteration)
        line.lossPix = record.lossPixel
        line.lossClean = record.lossClean
        line.lossTotal = record.lossTotal
        line.lr = lr
        line.skipped = state.skipped
        line.gradNorm = record.gradNorm
        line.seconds = record.seconds
        line.pluginLosses = pluginLosses
        metrics.append(line)
        return record
    }

    /// The newest checkpoint of `root` that loads intact, after reporting each damaged newer one.
    private static func resumePoint(in root: String, network: RealBasicVSRNet, adam: Adam, ema: ExponentialMovingAverage,
                                    configHash: String, plugins: [TrainerPlugin],
                                    notice: (String) -> Void) throws -> (String, TrainState) {
        let candidates = CheckpointStore.list(in: root).reversed().map(\.path)
        guard !candidates.isEmpty else { throw TrainError("\(root): no checkpoint (ckpt-NNNNNN/ with state.json) to resume from") }
        var damaged: [CheckpointDamage] = []
        for folder in candidates {
            do {
                let state = try CheckpointStore.load(folder, network: network, adam: adam, ema: ema, configHash: configHash, plugins: plugins)
                if !damaged.isEmpty {
                    notice("resuming from \(folder) (iteration \(state.iteration)) instead of the newer damaged checkpoint(s)")
                }
                return (folder, state)
            } catch let d as CheckpointDamage {
                damaged.append(d)
                notice("skipping \(folder): \(d.message)")
            }
        }
        throw TrainError("\(root): no intact checkpoint to resume from; " + damaged.map(\.message).joined(separator: "; "))
    }

    /// After too many consecutive skips: the newest known-good checkpoint's weights, EMA and moments; LR halved.
    /// Damaged candidates are reported and passed over for older ones.
    private func reloadLastCheckpoint(after cause: String) throws {
        let kept = state
        var reloaded: (folder: String, state: TrainState)?
        for folder in CheckpointStore.knownGood(in: outputFolder, atMost: state.iteration) {
            do {
                reloaded = (folder, try CheckpointStore.load(folder, network: network, adam: adam, ema: ema,
                                                             configHash: config.fingerprint, plugins: plugins))
                break
            } catch let d as CheckpointDamage {
                notice("cannot reload \(folder): \(d.message)")
                metrics.append(.event("damaged", iteration: state.iteration, message: d.message))
            }
        }
        guard let (folder, loaded) = reloaded else {
            lastGood = nil
            throw diverged("\(cause) and no intact known-good checkpoint to reload")
        }
        lastGood = folder
        state = kept
        state.lrScale = kept.lrScale * 0.5
        state.consecutiveSkips = 0
        state.reloads += 1
        state.fruitlessReloads += 1
        let message = "\(cause): reloaded \(folder) (iteration \(loaded.iteration)) and halved the LR scale to \(state.lrScale)"
        notice(message)
        metrics.append(.event("reload", iteration: state.iteration, message: message))
    }

    /// The error that ends a run making no progress, logged first; it names the last good checkpoint.
    private func diverged(_ what: String) -> TrainingDiverged {
        let where_ = lastGood.map { "the last good checkpoint is \($0)" } ?? "no known-good checkpoint is left"
        let message = "training diverged: \(what); \(where_). Lower optimizer.lr or set optimizer.grad_clip and check the skipped samples in \(outputFolder)/metrics.jsonl, then start a new run from that checkpoint with init_from."
        metrics.append(.event("diverged", iteration: state.iteration, message: message))
        return TrainingDiverged(message, lastGood: lastGood)
    }

    /// Validates (when a set is loaded) with the EMA weights and logs the scores.
    @discardableResult
    public func validate() throws -> ValidationSet.Scores? {
        guard let validation else { return nil }
        ema.swapWithParameters()
        defer { ema.swapWithParameters() }
        let scores = try validation.evaluate { try network.upscale($0) }
        state.valPSNR = scores.psnr
        var validationLine = MetricsRecord(iteration: state.iteration)
        validationLine.valPSNR = scores.psnr
        validationLine.valSSIM = scores.ssim
        validationLine.bicubicPSNR = scores.bicubicPSNR
        validationLine.valNIQE = scores.niqe
        metrics.append(validationLine)
        notice(String(format: "iteration %d validation: PSNR-Y %.3f dB (bicubic %.3f dB), SSIM-Y %.4f",
                      state.iteration, scores.psnr, scores.bicubicPSNR, scores.ssim))
        return scores
    }

    /// Writes `ckpt-<iteration>` and prunes old ones, sparing the last good checkpoint. A non-finite state is not
    /// written (returns nil, reported through `notice` and the log): resuming from it could only skip.
    @discardableResult
    public func checkpoint() throws -> String? {
        if communicator.size > 1 {
            try checkRanksAgree()
            guard communicator.isWriter else { return CheckpointStore.folderName(state.iteration) }
        }
        let folder: String
        do {
            folder = try CheckpointStore.write(to: outputFolder, network: network, adam: adam, ema: ema, state: state,
                                               extraFiles: Dictionary(uniqueKeysWithValues: plugins.map { ($0.checkpointFile, $0.checkpointTensors()) }))
        } catch let e as NonFiniteStateError {
            let message = "\(e); " + (lastGood.map { "the last good checkpoint stays \($0)" } ?? "there is no good checkpoint")
            notice(message)
            metrics.append(.event("checkpoint_refused", iteration: state.iteration, message: message))
            return nil
        }
        lastWritten = folder
        if state.isKnownGood { lastGood = folder }
        CheckpointStore.prune(in: outputFolder, keep: config.checkpoint.keep, protect: lastGood.map { [$0] } ?? [])
        return folder
    }

    /// Why `run` returned.
    public enum Outcome: Sendable, Equatable {
        case finished
        case stopped
    }

    /// Steps until `iterations` (or a stop request), validating and checkpointing on schedule and at the end.
    /// - Throws: `TrainingDiverged` when no step of this run was finite or the run ends with a reload not yet
    ///   followed by a finite step (the final checkpoint is written first), or after too many fruitless reloads.
    public func run(until iterations: Int, stop: () -> Bool = { false },
                    progress: (StepRecord) -> Void = { _ in }) throws -> Outcome {
        var steps = 0, finiteSteps = 0
        while state.iteration < iterations {
            // Every rank must stop at the same step: a signal may reach only some of them.
            if try communicator.any(stop()) {
                try checkpoint()
                return .stopped
            }
            let record = try step()
            steps += 1
            if !record.skipped { finiteSteps += 1 }
            state.valPSNR = nil
            if validation != nil, state.iteration % config.validation.every == 0 || state.iteration == iterations {
                try validate()
            }
            if state.iteration % config.checkpoint.every == 0 || state.iteration == iterations {
                if try checkpoint() == nil && state.iteration == iterations {
                    throw diverged("the state at the last iteration, \(iterations), holds non-finite values, so it was not written")
                }
            }
            progress(record)
        }
        if steps > 0 && finiteSteps == 0 {
            throw diverged("all \(steps) steps of this run were non-finite (\(state.reloads) reload(s) in total)")
        }
        if state.fruitlessReloads > 0 {
            throw diverged("the run ended \(state.consecutiveSkips) step(s) after reloading the last good checkpoint, with no finite step since")
        }
        return .finished
    }
}
