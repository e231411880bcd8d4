import Foundation
import Synchronization

/// A one-line progress bar on a terminal's stderr; silent when stderr is piped or with --quiet.
final class ProgressLine: Sendable {
    let enabled: Bool
    let label: String
    let started = ContinuousClock.now
    let lastDraw = Mutex<ContinuousClock.Instant?>(nil)

    init(_ label: String, quiet: Bool) {
        self.label = label
        enabled = !quiet && isatty(2) != 0
    }

    func update(done: Int, total: Int, detail: String = "") {
        guard enabled else { return }
        let now = ContinuousClock.now
        let draw = lastDraw.withLock { last -> Bool in
            if let last, now - last < .milliseconds(100), done < total { return false }
            last = now
            return true
        }
        guard draw else { return }
        let width = 30
        let filled = total > 0 ? width * done / total : 0
        let elapsed = now - started
        let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let eta = done > 0 ? secs / Double(done) * Double(total - done) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(format: "\r%@ %@ %d/%d  %.0fs elapsed, ~%.0fs left  %@\u{1B}[K", label, bar, done, total, secs, eta, detail)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
