import DegradeMedia
import DegradeOps
import Foundation

/// Anything that turns a clip of low-quality frames into frames `scale` times larger: a trained generator, or
/// the bicubic baseline. `degrade eval` and `degrade upscale` only see this protocol.
public protocol SuperResolver {
    /// Integer magnification (4 for RealBasicVSR).
    var scale: Int { get }
    /// The upscaled clip, frame for frame (`lq.count` images of `scale·W × scale·H`).
    func upscale(_ lq: [Image]) throws -> [Image]
}

/// OpenCV-convention bicubic interpolation (`Resize.apply(…, .bicubic)`), frame by frame: the baseline.
public struct BicubicResolver: SuperResolver {
    public let scale: Int

    public init(scale: Int) {
        precondition(scale >= 1, "BicubicResolver: scale must be ≥ 1, got \(scale)")
        self.scale = scale
    }

    public func upscale(_ lq: [Image]) throws -> [Image] {
        try lq.map { try Resize.apply($0, width: $0.width * scale, height: $0.height * scale, interpolation: .bicubic) }
    }
}

/// The failure when no loader is registered or the loader refuses the file.
public struct SuperResolverLoadError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "cannot load checkpoint \(path): \(reason)" }
}

/// Where the CLI gets a `SuperResolver` from a checkpoint path. The trainer registers its loader once
/// (`SuperResolverLoader.register { path in try MyGenerator.load(path) }`, e.g. at the start of a command);
/// until then `load` fails with a clear "cannot load checkpoint" error.
public enum SuperResolverLoader {
    typealias Loader = @Sendable (String) throws -> any SuperResolver

    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var loader: Loader?
    }
    private static let slot = Slot()

    /// Installs (or replaces) the checkpoint loader.
    static func register(_ loader: @escaping Loader) {
        slot.lock.withLock { slot.loader = loader }
    }

    /// Whether a loader has been registered.
    static var isRegistered: Bool { slot.lock.withLock { slot.loader != nil } }

    /// The model stored at `path`.
    /// - Throws: `SuperResolverLoadError` when no loader is registered or the file does not exist; the loader's
    ///   own error otherwise.
    public static func load(_ path: String) throws -> any SuperResolver {
        guard let loader = slot.lock.withLock({ slot.loader }) else {
            throw SuperResolverLoadError(path: path, reason: "no generator loader is registered in this build " +
                                         "(the trainer's network is not wired into `SuperResolverLoader`)")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw SuperResolverLoadError(path: path, reason: "no such file or folder")
        }
        return try loader(path)
    }
}
