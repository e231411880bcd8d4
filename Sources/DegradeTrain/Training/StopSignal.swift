import Dispatch
import Foundation
import Synchronization

/// A flag raised by SIGINT or SIGTERM: the training loop checks it between steps, writes a checkpoint and exits
/// cleanly instead of dying mid-write.
public final class StopSignal: Sendable {
    private let raised = Atomic<Bool>(false)
    /// Kept alive for the process's lifetime; only `installHandlers` writes it, once, before training starts.
    private nonisolated(unsafe) var sources: [DispatchSourceSignal] = []

    public init() {}

    /// Whether a stop was requested.
    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Requests a stop (what the signal handlers do).
    public func raise() { raised.store(true, ordering: .relaxed) }

    /// Routes SIGINT and SIGTERM to `raise()` (the default action, termination, is disabled). A second signal
    /// exits at once with status 128 + signal (safe: checkpoints are renamed into place only when complete).
    public func installHandlers() {
        let queue = DispatchQueue(label: "degrade-train-signals")
        var made: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.isRaised { exit(128 + number) }
                self.raise()
            }
            source.resume()
            made.append(source)
        }
        sources = made
    }
}
