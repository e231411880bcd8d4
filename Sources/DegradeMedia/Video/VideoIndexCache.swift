import Foundation

/// Where video indexes are kept between runs: `$DEGRADE_CACHE_DIR` if set, else `$XDG_CACHE_HOME/degrade`, else
/// `~/.cache/degrade` — never beside the videos (datasets are often read-only, and nothing outside `--out` may
/// change). One JSON file per video, named by a hash of its absolute path, size and modification time, and
/// written atomically; a stale, unreadable or foreign file is simply rebuilt. A cache that cannot be written
/// costs time, not correctness: the index is then rebuilt on the next run.
struct VideoIndexCache: Sendable {
    let folder: String?

    init(folder: String? = nil) {
        self.folder = folder ?? Self.defaultFolder()
    }

    static func defaultFolder() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["DEGRADE_CACHE_DIR"], !dir.isEmpty { return dir }
        if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return "\(xdg)/degrade" }
        if let home = env["HOME"], !home.isEmpty { return "\(home)/.cache/degrade" }
        return nil
    }

    /// The cached index of `path` if it still matches the file, else a fresh one (then stored).
    func index(of path: String) throws(MediaError) -> VideoIndex {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let stamp = FileStamp(absolute) else { throw MediaError(path, "cannot read the file (missing, or not a regular file)") }
        let file = cacheFile(absolute, stamp)
        if let file, let data = FileManager.default.contents(atPath: file),
           let index = try? JSONDecoder().decode(VideoIndex.self, from: data),
           index.version == VideoIndex.version, index.path == absolute, index.size == stamp.size, index.modified == stamp.modified {
            return index
        }
        var index = try VideoIndex.build(path: absolute)
        index.path = absolute
        if let file, let folder {
            try? FileManager.default.createDirectory(atPath: folder + "/video-index", withIntermediateDirectories: true)
            if let data = try? JSONEncoder().encode(index) { try? AtomicFile.write(data, to: file) }
        }
        return index
    }

    private func cacheFile(_ absolute: String, _ stamp: FileStamp) -> String? {
        guard let folder else { return nil }
        let hash = StableHash.hash("\(absolute)\n\(stamp.size)\n\(stamp.modified)")
        return "\(folder)/video-index/\(String(hash, radix: 16)).json"
    }
}
