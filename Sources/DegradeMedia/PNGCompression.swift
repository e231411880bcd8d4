import CSPNG

/// How hard the PNG encoder works: the pixels are the same at every level, only file size and time differ.
public enum PNGCompression: String, CaseIterable, Sendable, Codable {
    /// zlib level 1, run-length matching only, the "up" filter on every row: on 256² crops of the bundled photos
    /// about twice as fast as level 1's default matching and within a few percent of its size (sometimes smaller).
    case fast
    /// zlib level 6 with adaptive filtering (libpng's and libspng's defaults).
    case `default`
    /// zlib level 9, adaptive filtering, the largest zlib memory level: the smallest files, several times slower.
    case max

    var zlibLevel: Int32 {
        switch self {
        case .fast: 1
        case .default: 6
        case .max: 9
        }
    }

    var filterChoice: Int32 {
        switch self {
        case .fast: Int32(SPNG_FILTER_CHOICE_UP.rawValue)
        case .default, .max: Int32(SPNG_FILTER_CHOICE_ALL.rawValue)
        }
    }

    var memoryLevel: Int32 { self == .max ? 9 : 8 }

    /// zlib's strategy: Z_RLE (3) for `fast`, else Z_FILTERED (1), libspng's default for filtered rows.
    var zlibStrategy: Int32 { self == .fast ? 3 : 1 }
}
