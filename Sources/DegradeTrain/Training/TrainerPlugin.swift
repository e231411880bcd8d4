import DegradeTensor

/// A stage-2 extension of the generator's objective (perceptual loss, GAN), plugged into `Trainer`.
///
/// Each step the trainer adds `generatorLoss(output:target:)` (already weighted; logged as `loss_<name>`) to the
/// stage-1 loss. After a successful generator update it calls `afterGeneratorStep` with detached frames (e.g. to
/// update a discriminator). Skipped steps call neither update. A plugin with state returns it from
/// `checkpointTensors()`; it is saved as `<name>.safetensors` in every checkpoint and handed back to
/// `load(checkpointTensors:)` on resume or reload (throw `TrainError` when it does not fit).
public protocol TrainerPlugin: AnyObject {
    /// Identifier for the metrics key and the checkpoint file (e.g. `"perceptual"`, `"discriminator"`).
    var name: String { get }
    /// The weighted loss term on `[N·T, 3, H, W]` output and target frames, or nil to add nothing this step.
    func generatorLoss(output: Tensor, target: Tensor) -> Tensor?
    /// Runs after the generator's update with the step's (detached) output and target frames.
    func afterGeneratorStep(output: Tensor, target: Tensor) throws
    /// State to checkpoint (empty for stateless plugins).
    func checkpointTensors() -> SafeTensors
    /// Restores `checkpointTensors()` from a checkpoint.
    func load(checkpointTensors: SafeTensors) throws
}

extension TrainerPlugin {
    public func afterGeneratorStep(output: Tensor, target: Tensor) throws {}
    public func checkpointTensors() -> SafeTensors { SafeTensors() }
    public func load(checkpointTensors: SafeTensors) throws {}
    var checkpointFile: String { "\(name).safetensors" }
}
