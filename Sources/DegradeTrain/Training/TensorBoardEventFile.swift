import DegradeMedia
import Foundation

/// The TensorBoard event file a training run appends its scalars to, next to `metrics.jsonl`:
/// `events.out.tfevents.<unix time>.<host>.<pid>[.<n>]`, TensorBoard's naming. Append-only — each record goes out in one
/// write, and readers stop at a torn last record — so an interrupted run leaves a readable file.
///
/// A resumed run starts a new file (TensorBoard reads every event file of a folder as one run, in name order) after
/// pruning the older files of steps past the resumed checkpoint, as `metrics.jsonl` is pruned, so both logs hold
/// the same scalars.
public final class TensorBoardEventFile {
    public let path: String
    private let handle: FileHandle

    /// Event files in `folder`, in name order.
    public static func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix("events.out.tfevents.") && !$0.hasSuffix(".tmp") }.sorted().map { folder + "/" + $0 }
    }

    /// Rewrites (atomically) each event file in `folder` without the events of steps after `step`; a file left
    /// with no scalars is removed.
    public static func prune(folder: String, after step: Int) throws {
        for file in files(in: folder) {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let records = TensorBoardEvents.payloads([UInt8](data))
            let kept = records.filter { (TensorBoardEvents.step(ofEvent: $0) ?? Int.min) <= step }
            if !kept.contains(where: { TensorBoardEvents.step(ofEvent: $0) != nil }) {
                try? FileManager.default.removeItem(atPath: file)
            } else if kept.count != records.count || kept.reduce(0, { $0 + $1.count + 16 }) != data.count {
                try AtomicFile.write(kept.flatMap(TensorBoardEvents.record), to: file)
            }
        }
    }

    /// Creates a new event file in `folder` and writes its version record.
    public init(folder: String) throws {
        let base = folder + "/events.out.tfevents.\(Int(Date().timeIntervalSince1970))." +
            "\(Self.hostName).\(ProcessInfo.processInfo.processIdentifier)"
        // A counter keeps a second log opened in the same second by the same process from replacing the first.
        var candidate = base, counter = 0
        while FileManager.default.fileExists(atPath: candidate) {
            counter += 1
            candidate = base + ".\(counter)"
        }
        path = candidate
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw TrainError("cannot create the TensorBoard event file \(path)")
        }
        handle = h
        write(TensorBoardEvents.versionEvent(wallTime: Date().timeIntervalSince1970))
    }

    deinit { try? handle.close() }

    /// gethostname(2), not `ProcessInfo.hostName`, which may wait on a DNS lookup; "/" cannot be in a file name.
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, 255) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .replacingOccurrences(of: "/", with: "_")
        return name.isEmpty ? "localhost" : name
    }

    /// Appends one event of `scalars` at `step` (nothing when there are none).
    public func append(step: Int, scalars: [(tag: String, value: Double)]) {
        guard !scalars.isEmpty else { return }
        write(TensorBoardEvents.scalarEvent(wallTime: Date().timeIntervalSince1970, step: step, scalars: scalars))
    }

    private func write(_ event: [UInt8]) {
        try? handle.write(contentsOf: TensorBoardEvents.record(event))
    }
}
