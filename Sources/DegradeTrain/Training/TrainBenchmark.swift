import DegradeEngine
import DegradeTensor
import Foundation

/// Times full training steps (forward, backward, clipping, Adam, EMA) of a config on random in-memory batches,
/// so the figure is the network's cost alone, not the degradation stream's. Nothing is written to disk.
public enum TrainBenchmark {
    public struct Result: Sendable {
        public var steps: Int
        public var secondsPerStep: Double
        /// Process CPU time (user + system, all threads) per step: what the step costs when other processes share
        /// the cores and wall time does not tell.
        public var cpuSecondsPerStep: Double
        public var samplesPerSecond: Double
        public var gflopsPerSecond: Double
        public var stepGFLOP: Double
        /// Seconds per step spent averaging gradients over the ranks (0 for one process), after waiting for the
        /// slowest rank (`waitSecondsPerStep`, a one-value allreduce: load imbalance, not communication).
        public var allreduceSecondsPerStep: Double
        public var waitSecondsPerStep: Double
        /// Process peak resident memory over the measured steps (`VmHWM` after a reset; the lifetime peak where
        /// that cannot be reset), bytes.
        public var peakResidentBytes: Int
        /// High-water mark of the bytes tensors and op workspaces held at once (cached buffers not counted).
        public var peakTensorBytes: Int
        /// `train --dry-run`'s estimate for this config without the prefetch queue (the benchmark has none):
        /// activations and their gradients plus parameters, gradients, Adam moments and EMA.
        public var estimatedBytes: Double
    }

    /// Runs `warmup` untimed steps, then `steps` timed ones, with the config's thread count active.
    /// Under mpirun each rank steps its own batch and the gradients are averaged as in training; samples/s counts
    /// every rank's batch.
    public static func run(_ config: TrainConfig, steps: Int, warmup: Int = 1,
                           communicator: any Communicator = SingleProcess()) throws -> Result {
        let averager = GradientAverager(communicator: communicator)
        var reduceSeconds = 0.0, waitSeconds = 0.0
        let net = RealBasicVSRNet(configuration: config.network, seed: config.seed)
        let params = net.parameters
        let adam = Adam(parameters: params, configuration: .init(learningRate: config.optimizer.lr))
        let ema = ExponentialMovingAverage(parameters: params, decay: config.optimizer.ema)
        var rng = SplitMix64(seed: 1 + UInt64(communicator.rank))
        let (n, t, p) = (config.batch, config.data.frames, config.data.patch)
        let lq = Tensor.uniform([n, t, 3, p, p], using: &rng)
        let target = Tensor.uniform([n * t, 3, 4 * p, 4 * p], using: &rng)
        let cleanTarget = target.downsampleArea(factor: 4)
        // Memory from here on: the network, optimiser and batch are live; buffers cached by earlier runs in this
        // process are given back first so the resident peak is this run's.
        TensorMemory.releaseCachedBuffers()
        ProcessResources.trimHeap()
        let residentReset = ProcessResources.resetPeak()
        TensorMemory.resetPeak()
        func step() throws {
            let (out, cleaned) = net.forward(lq)
            let loss = Loss.l1(out.reshaped(target.shape), target) + Loss.l1(cleaned.reshaped(cleanTarget.shape), cleanTarget)
            var g = loss.backward()
            if communicator.size > 1 {
                let waitStart = Date()
                _ = try communicator.any(false)
                waitSeconds += Date().timeIntervalSince(waitStart)
            }
            let reduceStart = Date()
            try averager.average(&g, parameters: params)
            reduceSeconds += Date().timeIntervalSince(reduceStart)
            g.clipByGlobalNorm(1, parameters: params)
            adam.step(g)
            ema.update()
        }
        return try ComputeContext(threads: config.threads).run {
            for _ in 0..<warmup { try step() }
            reduceSeconds = 0
            waitSeconds = 0
            let start = Date(), cpuStart = ProcessResources.cpuSeconds()
            for _ in 0..<steps { try step() }
            let s = Date().timeIntervalSince(start) / Double(max(1, steps))
            let cpu = (ProcessResources.cpuSeconds() - cpuStart) / Double(max(1, steps))
            let cost = TrainingCost(config: config)
            let flops = cost.stepFLOPs
            return Result(steps: steps, secondsPerStep: s, cpuSecondsPerStep: cpu, samplesPerSecond: Double(n * communicator.size) / s,
                          gflopsPerSecond: flops / s / 1e9, stepGFLOP: flops / 1e9,
                          allreduceSecondsPerStep: reduceSeconds / Double(max(1, steps)),
                          waitSecondsPerStep: waitSeconds / Double(max(1, steps)),
                          peakResidentBytes: residentReset ? ProcessResources.peakBytes() : ProcessResources.lifetimePeakBytes(),
                          peakTensorBytes: TensorMemory.peakBytes,
                          estimatedBytes: cost.activationBytes + cost.parameterBytes)
        }
    }
}
