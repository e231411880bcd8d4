/// REDS layout: `ROOT/<clip>/<frame>.png`, one folder per clip, frames in name order (REDS uses 8-digit
/// numbers, but any names that sort in frame order work). An optional BasicSR `meta_info` file selects clips.
public struct REDSSource: ClipSource {
    public let root: String
    public let metaInfo: MetaInfo?
    public let limits: ImageLimits
    /// Decoded frames shared between reads (a render's samples of one clip overlap); nil reads every frame anew.
    public var frameCache: DecodedFrameCache?

    public init(root: String, metaInfoPath: String? = nil, limits: ImageLimits = .default) throws {
        guard FileManagerBox.isDirectory(root) else { throw MediaError(root, "not a folder; expected ROOT/<clip>/<frame>.png") }
        self.root = root
        self.metaInfo = try metaInfoPath.map { try MetaInfo.load($0) }
        self.limits = limits
        self.frameCache = nil
    }

    public var summary: String { "REDS folders under \(root)" + (metaInfo != nil ? " (selected by meta_info)" : "") }

    /// Clips with their size read from the first frame's header. Frame sizes within a clip are checked when
    /// the frames are loaded (or by `validate`), so listing a large dataset stays quick.
    public func clips() throws -> [ClipInfo] {
        let keys: [String]
        if let metaInfo {
            keys = metaInfo.entries.map(\.key)
        } else {
            keys = try Listing.entries(of: root).filter { !$0.hasPrefix(".") && FileManagerBox.isDirectory("\(root)/\($0)") }
        }
        var infos: [ClipInfo] = []
        for key in keys {
            let dir = "\(root)/\(key)"
            guard FileManagerBox.isDirectory(dir) else { throw MediaError(dir, "clip folder named in meta_info is missing") }
            let files = try frameFiles(key)
            guard let first = files.first else {
                throw MediaError(dir, "clip folder has no PNG or JPEG frames; remove it, or select clips with --meta-info")
            }
            let entry = metaInfo?.entries.first(where: { $0.key == key })
            if let entry, entry.frameCount > files.count {
                throw MediaError(dir, "meta_info says \(entry.frameCount) frames, the folder has \(files.count)")
            }
            let size = try ImageFile.dimensions("\(dir)/\(first)")
            if let entry, let w = entry.width, let h = entry.height, w != size.width || h != size.height {
                throw MediaError(dir, "meta_info says the frames are \(w)×\(h) (`(\(h),\(w),\(entry.channels ?? 3))`), but \(first) is \(size.width)×\(size.height)")
            }
            let count = metaInfo?.entries.first(where: { $0.key == key })?.frameCount ?? files.count
            infos.append(ClipInfo(key: key, frameCount: count, width: size.width, height: size.height, origin: dir))
        }
        guard !infos.isEmpty else { throw MediaError(root, "no clip folders with PNG or JPEG frames found") }
        return infos
    }

    public func frames(of key: String, range: Range<Int>?) throws -> [Image] {
        try frames(of: key, range: range, region: nil)
    }

    /// Crops each frame as soon as it is decoded, so at most one whole frame is held at a time.
    public func frames(of key: String, range: Range<Int>?, region: PixelRegion?) throws -> [Image] {
        let dir = "\(root)/\(key)"
        guard !key.contains("/"), key != "..", FileManagerBox.isDirectory(dir) else {
            throw MediaError(dir, "no clip \(key) in \(root)")
        }
        var files = try frameFiles(key)
        if let count = metaInfo?.entries.first(where: { $0.key == key })?.frameCount { files = Array(files.prefix(count)) }
        let r = try checkRange(range, count: files.count, key: key)
        var out: [Image] = []
        out.reserveCapacity(r.count)
        var firstSize: (width: Int, height: Int)?
        for name in files[r] {
            let path = "\(dir)/\(name)"
            let decoded = try ImageFile.read(path, limits: limits, region: region, cache: frameCache)
            let (width, height) = (decoded.frameWidth, decoded.frameHeight)
            if let first = firstSize, first.width != width || first.height != height {
                throw MediaError(path, "frame is \(width)×\(height) but the clip's frames are \(first.width)×\(first.height); all frames of a clip must share one size")
            }
            firstSize = firstSize ?? (width, height)
            if decoded.isRegion {
                out.append(decoded.image)
            } else {
                out.append(try region.map { try Self.crop(decoded.image, to: $0, key: key) } ?? decoded.image)
            }
        }
        return out
    }

    /// Announces to the frame cache that frames `rows.keys` of clip `key` will be read down to `rows[t]` (rows
    /// `0..<rows[t]`), so their first decode serves every reader. Without a cache, or for an unknown clip, nothing.
    public func expect(clip key: String, rows: [Int: Int]) {
        guard let frameCache, let files = try? frameFiles(key) else { return }
        for (t, count) in rows where files.indices.contains(t) { frameCache.expect(rows: count, of: "\(root)/\(key)/\(files[t])") }
    }

    /// Gives back the cached frames of clip `key` (no sample will read it again).
    public func release(clip key: String) {
        frameCache?.forget(pathsUnder: "\(root)/\(key)/")
    }

    /// The clip's frame files in order: the ones an mmagic-style meta_info lists, else every frame file by name.
    func frameFiles(_ key: String) throws -> [String] {
        let dir = "\(root)/\(key)"
        guard let names = metaInfo?.entries.first(where: { $0.key == key })?.frameNames else { return try Listing.frameFiles(in: dir) }
        for name in names where !FileManagerBox.exists("\(dir)/\(name)") {
            throw MediaError("\(dir)/\(name)", "listed in the meta_info file but missing")
        }
        return names
    }

    /// Reads every frame header of every clip and reports the first size mismatch.
    public func validate() throws {
        for clip in try clips() {
            let files = try frameFiles(clip.key).prefix(clip.frameCount)
            for name in files {
                let path = "\(clip.origin)/\(name)"
                let size = try ImageFile.dimensions(path)
                if size.width != clip.width || size.height != clip.height {
                    throw MediaError(path, "frame is \(size.width)×\(size.height) but the clip's first frame is \(clip.width)×\(clip.height)")
                }
            }
        }
    }
}
