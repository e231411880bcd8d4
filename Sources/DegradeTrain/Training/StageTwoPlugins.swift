import DegradeTensor

/// Stage 2's perceptual term: `weight · Σ_l w_l ‖φ_l(SR) − φ_l(GT)‖₁` on VGG19 features (weights from the user's
/// safetensors file; frozen, so the plugin has no state to checkpoint).
final class PerceptualPlugin: TrainerPlugin {
    public let name = "percep"
    let loss: PerceptualLoss
    let weight: Float

    public init(weightsPath: String, weight: Double) throws {
        loss = try PerceptualLoss(path: weightsPath)
        self.weight = Float(weight)
    }

    public func generatorLoss(output: Tensor, target: Tensor) -> Tensor? {
        loss(output, target) * weight
    }
}

/// Stage 2's adversarial term: the generator is pushed towards `D(SR)` = real (vanilla GAN, BCE with logits),
/// and after each generator update the discriminator takes one Adam step on real GT vs detached SR frames.
/// The discriminator's weights and Adam state ride in every checkpoint (`gan.safetensors`).
/// The reference trains D against the plain GT; the trainer hands plugins its pixel target (the sharpened GT
/// unless `loss.sharpened_gt: false`), so set that to false for the reference behaviour.
final class GANPlugin: TrainerPlugin {
    public let name = "gan"
    let discriminator: UNetDiscriminator
    let optimizer: Adam
    let weight: Float

    public init(channels: Int, weight: Double, learningRate: Double, beta1: Double, beta2: Double, seed: UInt64) {
        discriminator = UNetDiscriminator(channels: channels, spectralNorm: false, seed: seed)
        optimizer = Adam(parameters: discriminator.parameters,
                         configuration: .init(learningRate: learningRate, beta1: beta1, beta2: beta2))
        self.weight = Float(weight)
    }

    public func generatorLoss(output: Tensor, target: Tensor) -> Tensor? {
        GANLoss.generator(fake: discriminator(output)) * weight
    }

    public func afterGeneratorStep(output: Tensor, target: Tensor) throws {
        let loss = GANLoss.discriminator(real: discriminator(target.detached()), fake: discriminator(output.detached()))
        optimizer.step(loss.backward())
    }

    public func checkpointTensors() -> SafeTensors {
        var state = discriminator.stateDict()
        let adam = optimizer.state
        for (i, m) in adam.firstMoments.enumerated() { state.tensors["adam.m.\(i)"] = .init(shape: m.shape, values: m.scalars) }
        for (i, v) in adam.secondMoments.enumerated() { state.tensors["adam.v.\(i)"] = .init(shape: v.shape, values: v.scalars) }
        state.tensors["adam.steps"] = .init(shape: [adam.steps.count], values: adam.steps.map { Float($0) })
        return state
    }

    public func load(checkpointTensors state: SafeTensors) throws {
        try discriminator.load(state)
        guard let steps = state.tensors["adam.steps"] else { throw TrainError("gan.safetensors: the discriminator's Adam state is missing") }
        let count = steps.values.count
        var first: [Tensor] = [], second: [Tensor] = []
        for i in 0..<count {
            guard let m = state.tensors["adam.m.\(i)"], let v = state.tensors["adam.v.\(i)"] else {
                throw TrainError("gan.safetensors: Adam moments \(i) are missing")
            }
            first.append(Tensor(shape: m.shape, scalars: m.values))
            second.append(Tensor(shape: v.shape, scalars: v.values))
        }
        let stepCounts = try steps.values.map { v -> Int in
            // Converting a huge or fractional float to Int would trap; a damaged file is refused instead.
            guard v >= 0, v <= 1e9, v.rounded() == v else { throw TrainError("gan.safetensors: adam.steps holds \(v), expected a whole step count") }
            return Int(v)
        }
        try optimizer.load(Adam.State(steps: stepCounts, firstMoments: first, secondMoments: second))
    }
}

extension TrainConfig {
    /// The stage-2 plugins this config asks for: perceptual when `loss.perceptual_weights` is set, GAN when
    /// `loss.gan_weight` > 0.
    public func stageTwoPlugins() throws -> [TrainerPlugin] {
        var plugins: [TrainerPlugin] = []
        if let path = loss.perceptualWeights, loss.perceptualWeight > 0 {
            plugins.append(try PerceptualPlugin(weightsPath: path, weight: loss.perceptualWeight))
        }
        if loss.ganWeight > 0 {
            plugins.append(GANPlugin(channels: loss.discriminatorChannels, weight: loss.ganWeight,
                                     learningRate: optimizer.discriminatorLR, beta1: optimizer.beta1, beta2: optimizer.beta2,
                                     seed: seed &+ 1))
        }
        return plugins
    }
}
