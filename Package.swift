// swift-tools-version:6.0
import PackageDescription

// Native libraries come from Debian's -dev packages (tools/setup installs them); each is a
// `.systemLibrary` found through pkg-config. Data flows one way through the Swift targets:
// DegradeMedia → DegradeRandom → DegradeOps → DegradeEngine → degrade (CLI); DegradeTensor feeds the trainer.

/// Release builds target this machine's vector units (AVX2/AVX-512 + FMA); debug builds stay portable and fast to compile.
/// DEGRADE_TARGET_CPU overrides the CPU: `generic` drops the flag (baseline x86-64, what tools/build-wheel ships, since
/// a wheel runs on machines other than the one that built it); any other value (e.g. `haswell`) goes to -target-cpu.
/// tools/check-cpu-identity builds native and generic and checks they write the same bytes.
let targetCPU = Context.environment["DEGRADE_TARGET_CPU"] ?? "native"
let hotLoopSettings: [SwiftSetting] = targetCPU == "generic" ? [] : [
    .unsafeFlags(["-target-cpu", targetCPU], .when(configuration: .release)),
]

/// DegradeTensor's direct convolution kernels are SIMD loops of fused multiply-adds. Without -target-cpu the compiler
/// can only call libm's fmaf for every lane (far slower than im2col + GEMM), so a generic build leaves them out of the
/// dispatch (no DEGRADE_VECTOR_KERNELS), and a debug build of this one target is optimised for this machine as a
/// release build is: the trainer's tests (debug) would otherwise run for tens of minutes.
let tensorSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))] + (targetCPU == "generic" ? [] : [
    .unsafeFlags(["-target-cpu", targetCPU]),
    .define("DEGRADE_VECTOR_KERNELS"),
])

func system(_ name: String, _ pkg: String, _ apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Sources/System/\(name)", pkgConfig: pkg, providers: [.apt(apt)])
}

let package = Package(
    name: "degrade",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "degrade", targets: ["degrade"]),
        .library(name: "DegradeEngine", targets: ["DegradeEngine"]),
        // libdegrade_c.so: the C ABI of include/degrade.h, which the Python package (python/) loads.
        .library(name: "degrade_c", type: .dynamic, targets: ["DegradeC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        system("CAVCodec", "libavcodec", ["libavcodec-dev"]),
        system("CAVFormat", "libavformat", ["libavformat-dev"]),
        system("CAVUtil", "libavutil", ["libavutil-dev"]),
        system("CSwScale", "libswscale", ["libswscale-dev"]),
        system("CTurboJPEG", "libturbojpeg", ["libturbojpeg0-dev"]),
        system("CSPNG", "spng", ["libspng-dev"]),
        system("CFFTW", "fftw3f", ["libfftw3-dev"]),
        system("CSQLite", "sqlite3", ["libsqlite3-dev"]),
        system("COpenBLAS", "openblas", ["libopenblas-dev"]),
        // Open MPI (data-parallel training). pkg-config links libmpi into `degrade`; MPI is only initialised under mpirun.
        system("CMPI", "ompi-c", ["libopenmpi-dev"]),
        // Only what Swift cannot import: FFmpeg's function-like error macros.
        .target(name: "CShim", dependencies: ["CAVUtil"], path: "Sources/System/CShim"),

        // The stable hash (FNV-1a 64) and splitmix64 finaliser every module below builds on.
        .target(name: "DegradeHash", swiftSettings: hotLoopSettings),
        // Clip sources read video files through FFmpeg (demux, decode, swscale), so the FFmpeg plumbing lives here
        // and DegradeOps' codec ops build on it.
        .target(
            name: "DegradeMedia",
            dependencies: ["DegradeHash", "CSPNG", "CTurboJPEG", "CAVFormat", "CAVCodec", "CAVUtil", "CSwScale", "CShim"],
            swiftSettings: hotLoopSettings),
        // -fno-math-errno: Float.squareRoot() is a C inline of the Swift runtime's shims, which clang compiles with
        // glibc's errno semantics into a scalar square root plus a libm call for negative input; that kept the
        // Box–Muller lanes (and the division beside them) from being vectorised. Same values: IEEE square root.
        .target(
            name: "DegradeRandom", dependencies: ["DegradeHash"],
            swiftSettings: hotLoopSettings + [.unsafeFlags(["-Xcc", "-fno-math-errno"])]),
        .target(
            name: "DegradeOps",
            dependencies: ["DegradeMedia", "DegradeRandom", "CFFTW", "CTurboJPEG", "CAVCodec", "CAVUtil", "CSwScale", "CShim"],
            swiftSettings: hotLoopSettings),
        .target(
            name: "DegradeEngine",
            dependencies: ["DegradeOps", "DegradeMedia", "DegradeRandom", .product(name: "Yams", package: "Yams")],
            swiftSettings: hotLoopSettings),
        // Rendering to disk with SQLite catalogs, the training stream, previews.
        .target(name: "DegradeRender", dependencies: ["DegradeEngine", "DegradeOps", "DegradeMedia", "DegradeRandom", "CSQLite"], swiftSettings: hotLoopSettings),
        // Parameter and image statistics of recipes and rendered sets, reports.
        .target(name: "DegradeAudit", dependencies: ["DegradeRender", "DegradeEngine", "DegradeOps", "DegradeMedia"], swiftSettings: hotLoopSettings),
        // Tensors with reverse-mode gradients for the trainer; CPU backend on OpenBLAS.
        .target(name: "DegradeTensor", dependencies: ["DegradeHash", "COpenBLAS"], swiftSettings: tensorSettings),
        // The RealBasicVSR-style trainer: network, losses, optimisation, checkpoints, evaluation.
        .target(
            name: "DegradeTrain",
            dependencies: ["DegradeTensor", "DegradeRender", "DegradeAudit", "DegradeEngine", "DegradeOps", "DegradeMedia", "DegradeHash", "CMPI"],
            swiftSettings: hotLoopSettings),
        // The C ABI over the training stream (include/degrade.h): handles, error codes and messages, uint8 frames.
        .target(name: "DegradeC", dependencies: ["DegradeRender", "DegradeEngine", "DegradeMedia"], swiftSettings: hotLoopSettings),
        .executableTarget(
            name: "degrade",
            dependencies: ["DegradeEngine", "DegradeRender", "DegradeAudit", "DegradeTrain", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: hotLoopSettings),
        // tools/fuzz: mutated recipes, plans, frames and catalogs run through the real `degrade` (not installed).
        .executableTarget(name: "degrade-fuzz", dependencies: ["CSQLite"], path: "Sources/degrade-fuzz"),

        .testTarget(name: "DegradeMediaTests", dependencies: ["DegradeMedia", "CAVFormat", "CAVCodec", "CAVUtil"]),
        .testTarget(name: "DegradeRandomTests", dependencies: ["DegradeRandom"]),
        .testTarget(name: "DegradeOpsTests", dependencies: ["DegradeOps"], exclude: ["Fixtures"]),
        .testTarget(name: "DegradeEngineTests", dependencies: ["DegradeEngine"], exclude: ["Fixtures"]),
        .testTarget(name: "DegradeRenderTests", dependencies: ["DegradeRender", .product(name: "Yams", package: "Yams")], exclude: ["Fixtures"]),
        .testTarget(name: "DegradeAuditTests", dependencies: ["DegradeAudit"], exclude: ["Fixtures"]),
        .testTarget(name: "DegradeTrainTests", dependencies: ["DegradeTrain"]),
        .testTarget(name: "DegradeTensorTests", dependencies: ["DegradeTensor"]),
        .testTarget(name: "DegradeCTests", dependencies: ["DegradeC"]),
    ]
)
