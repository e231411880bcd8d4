/// A folder of photographs, each one a clip of a single frame (T = 1) keyed by its file name without the
/// extension: the shape of image-SR datasets such as DIV2K.
public struct StillsSource: ClipSource {
    public let folder: String
    public let limits: ImageLimits

    public init(folder: String, limits: ImageLimits = .default) throws {
        guard FileManagerBox.isDirectory(folder) else { throw MediaError(folder, "not a folder of PNG or JPEG stills") }
        self.folder = folder
        self.limits = limits
    }

    public var summary: String { "stills in \(folder)" }

    public func clips() throws -> [ClipInfo] {
        let files = try photoFiles()
        guard !files.isEmpty else { throw MediaError(folder, "no PNG or JPEG files found") }
        return try files.map { name in
            let size = try ImageFile.dimensions("\(folder)/\(name)")
            return ClipInfo(key: StillsSource.key(for: name), frameCount: 1, width: size.width, height: size.height,
                            origin: "\(folder)/\(name)")
        }
    }

    public func frames(of key: String, range: Range<Int>?) throws -> [Image] {
        _ = try checkRange(range, count: 1, key: key)
        return [try photo(key).image]
    }

    /// The decoded photo behind `key`.
    public func photo(_ key: String) throws -> DecodedImage {
        guard let name = try photoFiles().first(where: { StillsSource.key(for: $0) == key }) else {
            throw MediaError("\(folder)/\(key)", "no still with this key in \(folder)")
        }
        return try ImageFile.read("\(folder)/\(name)", limits: limits)
    }

    func photoFiles() throws -> [String] {
        try Listing.frameFiles(in: folder)
    }

    static func key(for fileName: String) -> String {
        guard let dot = fileName.lastIndex(of: ".") else { return fileName }
        return String(fileName[..<dot])
    }
}
