import CAVCodec
import CAVUtil
import DegradeMedia
import Foundation

/// The native builds output bytes depend on (codecs above all): recorded in catalogs, and compared when a set is
/// resumed or merged. Golden fixtures hold for Debian 12's builds.
public enum NativeLibraries {
    /// Library → version: FFmpeg's own version string, libavcodec's numeric version, libspng's, and the file name
    /// (with its soname version) of every loaded codec, JPEG and FFT library.
    public static func versions() -> [String: String] {
        var out: [String: String] = [:]
        out["ffmpeg"] = String(cString: av_version_info())
        let v = avcodec_version()
        out["libavcodec"] = "\(v >> 16).\((v >> 8) & 255).\(v & 255)"
        out["libspng"] = ImageFile.pngLibraryVersion
        for path in loadedObjects() {
            let file = URL(fileURLWithPath: path).resolvingSymlinksInPath().lastPathComponent
            for prefix in tracked where file.hasPrefix(prefix + ".so") || file.hasPrefix(prefix + "-") {
                out[prefix] = file
            }
        }
        return out
    }

    static let tracked = ["libx264", "libx265", "libvpx", "libaom", "libdav1d", "libSvtAv1Enc", "libturbojpeg", "libjpeg", "libfftw3f",
                          "libavcodec", "libavutil", "libswscale"]

    /// Paths of the shared objects mapped into this process (Linux: `/proc/self/maps`; elsewhere none are listed).
    static func loadedObjects() -> [String] {
        // procfs files report size 0, so read to the end rather than by the file's size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps"), let data = try? handle.readToEnd() else { return [] }
        let maps = String(decoding: data, as: UTF8.self)
        var seen = Set<String>()
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            if path.contains(".so") { seen.insert(path) }
        }
        return seen.sorted()
    }

    /// Plain words for the libraries that differ between two records (empty when they agree).
    public static func differences(_ a: [String: String], _ b: [String: String]) -> [String] {
        Set(a.keys).union(b.keys).sorted().compactMap { k in
            a[k] == b[k] ? nil : "\(k) \(a[k] ?? "absent") vs \(b[k] ?? "absent")"
        }
    }
}
