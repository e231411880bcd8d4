import Foundation

/// `metrics.jsonl` in the output folder: one JSON object per line. Training lines carry `iteration`, `loss_pix`,
/// `loss_clean`, `loss_total`, `lr`, `skipped` (cumulative), `grad_norm`, `seconds`; validation lines carry
/// `iteration`, `val_psnr`, `val_ssim`, `bicubic_psnr`; events (`skip`, `reload`, `damaged`, `checkpoint_refused`,
/// `diverged`) carry `event` and `message`.
public final class MetricsLog {
    public let path: String
    private let handle: FileHandle

    /// Opens (creating) the log; with `truncateAfter`, first drops lines of iterations after it (a resumed run
    /// rewrites what the interrupted one logged past its last checkpoint).
    public init(path: String, truncateAfter: Int? = nil) throws {
        self.path = path
        let fm = FileManager.default
        if let limit = truncateAfter, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let kept = text.split(separator: "\n").filter { line in
                guard let data = line.data(using: .utf8),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let it = object["iteration"] as? Int else { return false }
                return it <= limit
            }
            try (kept.map { $0 + "\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
        }
        if !fm.fileExists(atPath: path) { _ = fm.createFile(atPath: path, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: path) else { throw TrainError("cannot open \(path) for writing") }
        handle = h
        handle.seekToEndOfFile()
    }

    deinit { try? handle.close() }

    /// Appends one line; non-finite numbers are written as null (JSON has no NaN).
    public func append(_ fields: [String: Any]) {
        var clean: [String: Any] = [:]
        for (k, v) in fields {
            if let d = v as? Double, !d.isFinite { clean[k] = NSNull() } else { clean[k] = v }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: clean, options: [.sortedKeys]) else { return }
        handle.write(data + Data("\n".utf8))
    }
}
