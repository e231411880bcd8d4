import DegradeMedia
import DegradeTensor
import Foundation
@testable import DegradeTrain

/// Shared pieces of the trainer tests: tiny configs, synthetic batch sources, temp folders.
enum TrainFixtures {
    static let root: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("degrade-train-tests-\(getpid())").path
        atexit { try? FileManager.default.removeItem(atPath: TrainFixtures.root) }
        return dir
    }()

    static func tempDir(_ label: String) throws -> String {
        let dir = "\(root)/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The repository root (for datasets/sample and the built executable).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// channels 4, 1 + 1 blocks, batch 1, 3 frames, LQ 8² → GT 32², no clipping, EMA 0.9.
    static func tinyConfig(iterations: Int = 10) -> TrainConfig {
        var c = TrainConfig(name: "tiny", recipePath: "unused.yaml")
        c.network = .init(channels: 4, cleaningBlocks: 1, propagationBlocks: 1, hrChannels: 4)
        c.batch = 1
        c.data.frames = 3
        c.data.patch = 8
        c.iterations = iterations
        c.optimizer.lr = 2e-3
        c.optimizer.ema = 0.9
        c.optimizer.gradClip = nil
        c.checkpoint.every = 1000
        c.checkpoint.keep = 100
        c.maxConsecutiveSkips = 3
        return c
    }

    /// `tinyConfig` or, for `.spynet`, its aligned counterpart: SPyNet needs LQ ≥ 64 px, so 64² patches with
    /// 2 frames (one flow pair each way) keep the steps cheap.
    static func config(_ alignment: Alignment, iterations: Int = 10) -> TrainConfig {
        var c = tinyConfig(iterations: iterations)
        if alignment == .spynet {
            c.network.alignment = .spynet
            c.data.patch = 64
            c.data.frames = 2
        }
        return c
    }

    /// A smooth GT clip `[3 frames]` of `4p × 4p` moving by one pixel per frame, and its area-downscaled LQ.
    static func clip(patch p: Int, frames: Int, phase: Double) -> (lq: [Image], gt: [Image]) {
        let side = 4 * p
        var gts: [Image] = [], lqs: [Image] = []
        for t in 0..<frames {
            var px = [Float](repeating: 0, count: 3 * side * side)
            for c in 0..<3 {
                for y in 0..<side {
                    for x in 0..<side {
                        let u = Double(x + t) / Double(side), v = Double(y) / Double(side)
                        px[(c * side + y) * side + x] = Float(0.5 + 0.3 * sin(6 * u + phase + Double(c)) * cos(5 * v - phase))
                    }
                }
            }
            let gt = Image(width: side, height: side, channels: 3, pixels: px)
            gts.append(gt)
            let lq = GradientMode.withoutGradients {
                ClipTensor.batch([[gt]]).reshaped([1, 3, side, side]).downsampleArea(factor: 4).reshaped([1, 1, 3, p, p])
            }
            lqs.append(ClipTensor.images(lq, clip: 0, clamp: false)[0])
        }
        return (lqs, gts)
    }

    /// Batches that depend only on the cursor (like the stream): sample i is `clip(phase: i)`. With `fixed`, every
    /// sample is the same clip. The batches of the iterations in `poisoned` carry a NaN pixel (the stream continues
    /// forward through reloads, so batch k is always the one of iteration k): the test-only way to make steps
    /// non-finite.
    final class SyntheticSource: BatchSource {
        let config: TrainConfig
        let fixed: Bool
        let poisoned: (Int) -> Bool
        private(set) var cursor: Int
        init(config: TrainConfig, cursor: Int, fixed: Bool = false, poisoned: @escaping (Int) -> Bool = { _ in false }) {
            self.config = config
            self.cursor = cursor
            self.fixed = fixed
            self.poisoned = poisoned
        }
        func next() throws -> TrainingBatch {
            let iteration = cursor / config.batch + 1
            var lqs: [[Image]] = [], gts: [[Image]] = [], keys: [String] = []
            for _ in 0..<config.batch {
                let i = fixed ? 0 : cursor
                let c = TrainFixtures.clip(patch: config.data.patch, frames: config.data.frames, phase: Double(i) * 0.9)
                lqs.append(c.lq); gts.append(c.gt); keys.append("synthetic-\(i)")
                cursor += 1
            }
            if poisoned(iteration) { lqs[0][0].pixels[0] = .nan }
            return TrainingBatch(lq: ClipTensor.batch(lqs), target: ClipTensor.batch(gts), keys: keys)
        }
    }

    static func trainer(_ config: TrainConfig, out: String, resume: Bool = false, fixed: Bool = false,
                        poisoned: @escaping (Int) -> Bool = { _ in false },
                        notice: @escaping (String) -> Void = { _ in }) throws -> Trainer {
        try Trainer(config: config, outputFolder: out, resume: resume, notice: notice) {
            SyntheticSource(config: config, cursor: $0, fixed: fixed, poisoned: poisoned)
        }
    }

    /// Rewrites one tensor file of a checkpoint through `change` and records its new checksum in `state.json`, as
    /// if the trainer had written it: damage the checksum cannot see.
    static func rewrite(_ folder: String, _ file: String, _ change: (inout SafeTensors) -> Void) throws {
        var tensors = try SafeTensors.read("\(folder)/\(file)")
        change(&tensors)
        let bytes = try tensors.encoded()
        try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(file)"))
        var state = try CheckpointIntegrity.readState(folder)
        state.checksums?[file] = StableHash.checksum(bytes)
        state.stateChecksum = try CheckpointIntegrity.stateChecksum(state)
        try CheckpointIntegrity.encode(state).write(to: URL(fileURLWithPath: "\(folder)/\(CheckpointStore.stateFile)"))
    }

    /// Flips one bit in the tensor data (past the header) of a file, leaving its size and header intact.
    static func flipBit(_ path: String) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 7] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func values(_ parameters: [Parameter]) -> [[Float]] { parameters.map { $0.value.scalars } }

    static func adamMoments(_ adam: Adam) -> [[Float]] {
        let s = adam.state
        return s.firstMoments.map(\.scalars) + s.secondMoments.map(\.scalars)
    }
}
