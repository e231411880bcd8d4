/// The trained generator serves `eval` and `upscale` through the `SuperResolver` interface, with its EMA weights.
extension RealBasicVSRNet: SuperResolver {
    public var scale: Int { Self.scale }
}

extension SuperResolverLoader {
    /// Registers the RealBasicVSR-style generator's checkpoint loader (a `ckpt-*` folder, a run folder or a
    /// `.safetensors` file).
    public static func registerGenerator() {
        register { try RealBasicVSRNet.load(checkpoint: $0) }
    }
}
