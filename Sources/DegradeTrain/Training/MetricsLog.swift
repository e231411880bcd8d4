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
                struct Iteration: Decodable { var iteration: Int }
                guard let it = try? JSONDecoder().decode(Iteration.self, from: Data(line.utf8)).iteration else { return false }
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

    /// Appends one line.
    public func append(_ record: MetricsRecord) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(record) else { return }
        handle.write(data + Data("\n".utf8))
    }
}

/// One line of `metrics.jsonl`: the fields a line has are set, the rest left out; non-finite numbers are written as
/// null (JSON has no NaN). Stage-2 plugins' losses go in `pluginLosses` as `loss_<name>`.
public struct MetricsRecord: Encodable, Sendable {
    public var iteration: Int
    var lossPix, lossClean, lossTotal, lr, gradNorm, seconds: Double?
    public var skipped: Int?
    var pluginLosses: [String: Double] = [:]
    var valPSNR, valSSIM, bicubicPSNR: Double?
    public var event, message: String?
    public var keys: [String]?

    public init(iteration: Int) { self.iteration = iteration }

    /// An event line (`skip`, `reload`, `damaged`, `checkpoint_refused`, `diverged`).
    public static func event(_ name: String, iteration: Int, message: String, keys: [String]? = nil) -> MetricsRecord {
        var r = MetricsRecord(iteration: iteration)
        r.event = name
        r.message = message
        r.keys = keys
        return r
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        func put(_ v: Double?, _ k: String) throws {
            guard let v else { return }
            if v.isFinite { try c.encode(v, forKey: Key(k)) } else { try c.encodeNil(forKey: Key(k)) }
        }
        try c.encode(iteration, forKey: Key("iteration"))
        try put(lossPix, "loss_pix")
        try put(lossClean, "loss_clean")
        try put(lossTotal, "loss_total")
        try put(lr, "lr")
        try put(gradNorm, "grad_norm")
        try put(seconds, "seconds")
        if let skipped { try c.encode(skipped, forKey: Key("skipped")) }
        for (k, v) in pluginLosses { try put(v, k) }
        try put(valPSNR, "val_psnr")
        try put(valSSIM, "val_ssim")
        try put(bicubicPSNR, "bicubic_psnr")
        if let event { try c.encode(event, forKey: Key("event")) }
        if let message { try c.encode(message, forKey: Key("message")) }
        if let keys { try c.encode(keys, forKey: Key("keys")) }
    }
}
