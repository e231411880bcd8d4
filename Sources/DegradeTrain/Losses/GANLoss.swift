import DegradeTensor

/// The vanilla GAN objective as binary cross-entropy with logits (BasicSR's `GANLoss(gan_type='vanilla')`,
/// RealBasicVSR's choice), mean-reduced over every logit:
/// `BCE(x, real) = mean softplus(−x)`, `BCE(x, fake) = mean softplus(x)`, since
/// `−log σ(x) = softplus(−x)` and `−log(1 − σ(x)) = softplus(x)`; `softplus` is evaluated stably.
enum GANLoss {
    /// `mean softplus(−x)` when `targetIsReal`, else `mean softplus(x)`.
    public static func vanilla(_ logits: Tensor, targetIsReal: Bool) -> Tensor {
        (targetIsReal ? -logits : logits).softplus().mean()
    }

    /// The discriminator's loss: real logits should be real, fake ones fake (compute `fake` from a detached
    /// generator output so only the discriminator gets gradients).
    static func discriminator(real: Tensor, fake: Tensor) -> Tensor {
        vanilla(real, targetIsReal: true) + vanilla(fake, targetIsReal: false)
    }

    /// The generator's adversarial loss: its outputs should be judged real (multiply by the GAN weight, e.g. 0.05
    /// in RealBasicVSR, before adding to the other losses).
    public static func generator(fake: Tensor) -> Tensor { vanilla(fake, targetIsReal: true) }
}
