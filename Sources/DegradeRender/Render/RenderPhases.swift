import DegradeOps

/// Where a render's time goes, per phase of a sample: reading (decoding) its source frames, degrading them (the
/// engine alone, what `degrade bench` measures), compressing the PNGs, writing the files into place and recording
/// the catalog row. Thread CPU time, so the figures hold when other processes share the cores; PNG compression
/// spread over idle cores (`--jobs` above the clips left) counts only the rendering thread's share.
public struct RenderPhases: Sendable, Equatable {
    public enum Phase: String, CaseIterable, Sendable {
        case sources, degrade, encode, files, catalog
    }

    /// CPU seconds per phase, summed over the samples.
    public private(set) var seconds: [Phase: Double] = [:]
    /// Samples whose phases were summed.
    public private(set) var samples = 0

    public init() {}

    /// Runs `body`, charging the calling thread's CPU time to `phase`.
    mutating func time<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let started = ThreadClock.cpuSeconds()
        defer { charge(phase, since: started) }
        return try body()
    }

    /// Charges the calling thread's CPU time since `started` (a `ThreadClock.cpuSeconds()` reading) to `phase`.
    mutating func charge(_ phase: Phase, since started: Double) {
        seconds[phase, default: 0] += ThreadClock.cpuSeconds() - started
    }

    /// Adds another sample's (or worker's) phases.
    mutating func add(_ other: RenderPhases) {
        for (p, s) in other.seconds { seconds[p, default: 0] += s }
        samples += other.samples
    }

    mutating func countSample() { samples += 1 }

    /// CPU milliseconds per sample, by phase name (every phase, 0 when unused); empty when no sample was rendered.
    public var millisecondsPerSample: [String: Double] {
        guard samples > 0 else { return [:] }
        return Dictionary(uniqueKeysWithValues: Phase.allCases.map { ($0.rawValue, (seconds[$0] ?? 0) * 1000 / Double(samples)) })
    }

    /// "sources 48 ms · degrade 371 ms · …" per sample, for the render's last line; nil when no sample was rendered.
    public var summaryLine: String? {
        guard samples > 0 else { return nil }
        let ms = millisecondsPerSample
        let parts = Phase.allCases.map { p in "\(p.label) \(Int((ms[p.rawValue] ?? 0).rounded())) ms" }
        return "CPU per clip: " + parts.joined(separator: " · ")
    }
}

extension RenderPhases.Phase {
    var label: String {
        switch self {
        case .sources: "sources"
        case .degrade: "degrade"
        case .encode: "PNG"
        case .files: "files"
        case .catalog: "catalog"
        }
    }
}
