import DegradeMedia
import Foundation

/// `metrics.jsonl` in the output folder: one JSON object per line. Training lines carry `iteration`, `loss_pix`,
/// `loss_clean`, `loss_total`, `lr`, `skipped` (cumulative), `grad_norm`, `seconds`; validation lines carry
/// `iteration`, `val_psnr`, `val_ssim`, `bicubic_psnr` (and `val_niqe` when `validation.niqe` is on); events (`skip`, `reload`, `damaged`, `checkpoint_refused`,
/// `diverged`) carry `event` and `message`. The numeric fields also go to a TensorBoard event file in the same
/// folder (`TensorBoardEventFile`), tagged with the same names, one event per line at step `iteration`.
public final class MetricsLog {
    public let path: String
    private let handle: FileHandle
    private let events: TensorBoardEventFile

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
        let folder = (path as NSString).deletingLastPathComponent
        if let limit = truncateAfter { try TensorBoardEventFile.prune(folder: folder, after: limit) }
        events = try TensorBoardEventFile(folder: folder.isEmpty ? "." : folder)
    }

    deinit { try? handle.close() }

    /// Appends one line.
    public func append(_ record: MetricsRecord) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(record) else { return }
        handle.write(data + Data("\n".utf8))
        events.append(step: record.iteration, scalars: record.scalars)
    }
}

/// One line of `metrics.jsonl`: the fields a line has are set, the rest left out; non-finite numbers are written as
/// null (JSON has no NaN). Stage-2 plugins' losses go in `pluginLosses` as `loss_<name>`.
public struct MetricsRecord: Encodable, Sendable {
    public var iteration: Int
    var lossPix, lossClean, lossTotal, lr, gradNorm, seconds: Double?
    public var skipped: Int?
    var pluginLosses: [String: Double] = [:]
    var valPSNR, valSSIM, valNIQE, bicubicPSNR: Double?
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

    /// The numeric fields under their JSON names (non-finite ones included: TensorBoard plots NaN as a gap).
    var scalars: [(tag: String, value: Double)] {
        var out: [(String, Double)] = []
        func put(_ v: Double?, _ k: String) { if let v { out.append((k, v)) } }
        put(lossPix, "loss_pix")
        put(lossClean, "loss_clean")
        put(lossTotal, "loss_total")
        put(lr, "lr")
        put(gradNorm, "grad_norm")
        put(seconds, "seconds")
        if let skipped { out.append(("skipped", Double(skipped))) }
        for (k, v) in pluginLosses.sorted(by: { $0.key < $1.key }) { out.append((k, v)) }
        put(valPSNR, "val_psnr")
        put(valSSIM, "val_ssim")
        put(valNIQE, "val_niqe")
        put(bicubicPSNR, "bicubic_psnr")
        return out
    }

    typealias Key = NamedCodingKey

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
        try put(valNIQE, "val_niqe")
        try put(bicubicPSNR, "bicubic_psnr")
        if let event { try c.encode(event, forKey: Key("event")) }
        if let message { try c.encode(message, forKey: Key("message")) }
        if let keys { try c.encode(keys, forKey: Key("keys")) }
    }
}
