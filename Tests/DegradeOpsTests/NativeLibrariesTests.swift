import Testing
@testable import DegradeOps

/// The record of native builds a catalog keeps names the codec, PNG and FFT libraries actually loaded.
@Suite struct NativeLibraryRecord {
    @Test func namesTheLoadedCodecPNGAndFFTBuilds() {
        let v = NativeLibraries.versions()
        #expect(v["ffmpeg"]?.isEmpty == false)
        #expect(v["libspng"]?.split(separator: ".").count == 3, "\(v)")
        for lib in ["libavcodec", "libx264", "libfftw3f", "libturbojpeg"] {
            #expect(v[lib]?.hasPrefix(lib + ".so") == true, "\(lib): \(v)")
        }
        #expect(NativeLibraries.differences(v, v).isEmpty)
        var other = v
        other["libx264"] = "libx264.so.999"
        #expect(NativeLibraries.differences(v, other) == ["libx264 \(v["libx264"]!) vs libx264.so.999"])
    }
}
