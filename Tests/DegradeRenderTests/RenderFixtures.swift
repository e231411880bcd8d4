import DegradeEngine
import DegradeMedia
import Foundation
import Synchronization
import Testing
@testable import DegradeRender

/// Tiny inputs, recipes and helpers shared by the render, merge and stream tests: everything is generated
/// into a fresh temporary folder, so the tests need nothing but the package itself.
enum RenderFixtures {
    /// A 4-frame, 32×32 recipe exercising crop, flip, unsharp (so `gt/` and `gt_unsharp/` are written), blur,
    /// resize, noise and video compression. The codec is mpeg4 only: libx264 (0.164.3095 here) was seen to give
    /// different bytes for identical input now and then while other threads of the process are busy, which
    /// would make these byte-for-byte comparisons flaky for a reason outside rendering and streaming.
    static func recipeYAML(name: String = "tiny-qa", frames: Int = 4, crop: Int = 32) -> String {
        """
        name: \(name)
        scale: 2
        frames: \(frames)
        crop: {size: \(crop)}
        flip: {horizontal: 0.5}
        unsharp: {kernel_size: 7}
        pipeline:
          - blur: {kernel_size: [7], kernel_list: [iso, aniso], kernel_prob: [0.5, 0.5], sigma_x: [0.5, 2], sigma_y: [0.5, 2], rotation: [-3.1416, 3.1416]}
          - resize: {target_scale: 0.5, resize_opt: [bilinear, bicubic], resize_prob: [0.5, 0.5]}
          - noise: {noise_type: [gaussian, poisson], noise_prob: [0.5, 0.5], gaussian_sigma: [1, 10], poisson_scale: [0.05, 1]}
          - video: {codec: [mpeg4], bitrate: [10000, 100000]}
          - quantize

        """
    }

    /// This process's folder for everything the tests write; removed when the test process exits.
    static let root: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("degrade-renderqa-\(getpid())").path
        atexit { try? FileManager.default.removeItem(atPath: RenderFixtures.root) }
        return dir
    }()

    /// A fresh, empty temporary folder.
    static func tempDir(_ label: String) throws -> String {
        let dir = "\(root)/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A textured 8-bit-exact still that differs per `index`.
    static func still(_ index: Int, width: Int = 64, height: Int = 48) -> Image {
        var img = Image(width: width, height: height)
        let phase = Double(index) * 0.7
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    let u = Double(x), v = Double(y)
                    let value = 0.5 + 0.3 * sin(u * 0.37 + phase + Double(c)) * cos(v * 0.29 - phase) + 0.15 * sin((u + 2 * v) * 1.3 + phase)
                    img.pixels[c * width * height + y * width + x] = Float((value * 255).rounded() / 255)
                }
            }
        }
        return img
    }

    /// A folder of `count` stills `s01.png`, `s02.png`, … (as `--source pan` input: clips `s01@pan`, …).
    static func stillsFolder(count: Int, in dir: String) throws -> String {
        let folder = "\(dir)/stills"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for i in 1...count { try ImageFile.writePNG(still(i), to: "\(folder)/\(String(format: "s%02d", i)).png") }
        return folder
    }

    /// A REDS-layout folder `<dir>/<name>/<clip>/<frame>.png`.
    static func redsFolder(clips: [String], frames: Int, in dir: String, name: String = "reds") throws -> String {
        let root = "\(dir)/\(name)"
        for (k, clip) in clips.enumerated() {
            try FileManager.default.createDirectory(atPath: "\(root)/\(clip)", withIntermediateDirectories: true)
            for t in 0..<frames {
                try ImageFile.writePNG(still(10 * k + t, width: 40, height: 36), to: "\(root)/\(clip)/\(String(format: "%08d", t)).png")
            }
        }
        return root
    }

    static func writeRecipe(_ yaml: String, in dir: String, name: String = "recipe.yaml") throws -> String {
        let path = "\(dir)/\(name)"
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func recipe(_ yaml: String = recipeYAML()) throws -> Recipe {
        try RecipeParser.parse(yaml, file: "test.yaml")
    }

    /// `degrade render` arguments over the pan source used throughout.
    static func renderArgs(recipe: String, stills: String, out: String, seed: Int = 7, jobs: Int = 1, extra: [String] = []) -> [String] {
        ["render", recipe, "--input", stills, "--source", "pan", "--pan-frames", "6", "--pan-size", "48x40",
         "--out", out, "--seed", "\(seed)", "--jobs", "\(jobs)", "--quiet"] + extra
    }
}

// MARK: - The built executable

/// Runs the `degrade` executable built beside the test bundle (`swift build` / `swift test` build every
/// product of the package, so it is there and current).
enum DegradeCLI {
    static let path: String? = {
        var candidates: [String] = []
        if let exe = Bundle.main.executablePath {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("degrade").path)
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("degrade").path)
        // A bundle nested in a folder (macOS `.xctest` bundles): the products folder is further up.
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") })?.bundlePath {
            candidates.append(URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("degrade").path)
        }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repo.appendingPathComponent(".build/debug/degrade").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Result {
        var status: Int32
        var signalled: Bool
        var stdout: String
        var stderr: String
    }

    static func executable() throws -> String {
        try #require(path != nil, "the degrade executable is not built beside the tests; run `swift build` first")
        return path!
    }

    /// Starts `degrade args…` with stdout/stderr sent to files in `logDir`.
    static func start(_ args: [String], logDir: String, environment: [String: String] = [:]) throws -> (Process, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try executable())
        p.arguments = args
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let tag = UUID().uuidString.prefix(8)
        let out = "\(logDir)/stdout-\(tag).txt", err = "\(logDir)/stderr-\(tag).txt"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle(forWritingAtPath: err)
        try p.run()
        return (p, out, err)
    }

    /// Runs `degrade args…` to completion.
    static func run(_ args: [String], logDir: String) throws -> Result {
        let (p, out, err) = try start(args, logDir: logDir)
        p.waitUntilExit()
        return Result(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}

// MARK: - Comparing rendered sets

/// What a rendered set holds, minus what legitimately differs between runs (timestamps, timings, the
/// SQLite file's own bytes).
struct RenderSnapshot: Equatable {
    struct Clip: Equatable {
        var key, sourceClip: String
        var variant: Int
        var plan, compressedBytes: String
        var frames: [String]  // kind|index|path|w|h|checksum|params
    }

    var files: [String: Data]  // every file but index.sqlite*, by path relative to the root
    var clips: [Clip]
    var recipeHash: String
    var recipeText: String
    var seed: UInt64
    var options: String

    init(_ root: String) throws {
        files = try RenderSnapshot.files(in: root).filter { !$0.key.hasPrefix(RenderCatalog.fileName) }
        let catalog = try RenderCatalog(path: "\(root)/\(RenderCatalog.fileName)", readOnly: true)
        let run = try #require(try catalog.run())
        recipeHash = run.recipeHash
        recipeText = run.recipeText
        seed = run.seed
        options = run.options
        clips = try catalog.clipRows().map { r in
            Clip(key: r.key, sourceClip: r.sourceClip, variant: r.variant, plan: r.plan, compressedBytes: r.compressedBytes,
                 frames: r.frames.map { "\($0.kind)|\($0.index)|\($0.path)|\($0.width)|\($0.height)|\($0.checksum)|\($0.params)" })
        }
        let keys = try catalog.db.rows("SELECT key FROM clips").compactMap { $0[0].text }
        #expect(keys.count == Set(keys).count, "a clip is listed twice in \(root)")
    }

    /// Every regular file under `root` (hidden ones included), relative path → bytes.
    static func files(in root: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        guard let e = FileManager.default.enumerator(atPath: base) else { return out }
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: "\(base)/\(rel)", isDirectory: &isDir)
            if !isDir.boolValue { out[rel] = try Data(contentsOf: URL(fileURLWithPath: "\(base)/\(rel)")) }
        }
        return out
    }

    /// Every path under `root` (files and folders, hidden included).
    static func allPaths(in root: String) -> [String] {
        var out: [String] = []
        guard let e = FileManager.default.enumerator(atPath: root) else { return out }
        while let rel = e.nextObject() as? String { out.append(rel) }
        return out
    }

    /// Checks the catalog against the disk: each listed frame exists with the recorded checksum, and every
    /// frame file on disk is listed.
    static func checkCatalogMatchesDisk(_ root: String) throws {
        let catalog = try RenderCatalog(path: "\(root)/\(RenderCatalog.fileName)", readOnly: true)
        var listed = Set<String>()
        for clip in try catalog.clipRows() {
            for f in clip.frames {
                listed.insert(f.path)
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(root)/\(f.path)")))
                #expect(StableHash.checksum(bytes) == f.checksum, "checksum of \(f.path)")
            }
        }
        let onDisk = Set(try files(in: root).keys.filter { $0.hasSuffix(".png") })
        #expect(onDisk == listed, "frame files on disk and in the catalog differ")
    }
}

/// Reference renders, made once per configuration and shared by the tests that compare against them.
enum ReferenceRenders {
    private static let cache = Mutex<[String: String]>([:])

    /// A clean, uninterrupted `degrade render` of the tiny recipe over `count` stills with `seed`; returns
    /// (root folder of the inputs, the render folder).
    static func clean(stills count: Int, seed: Int, extra: [String] = []) throws -> (inputs: String, out: String) {
        let id = "\(count)-\(seed)-\(extra.joined(separator: " "))"
        // Rendered under the lock, so concurrent tests wanting the same reference wait for one render.
        let dir = try cache.withLock { cached throws -> String in
            if let dir = cached[id] { return dir }
            let dir = try RenderFixtures.tempDir("ref")
            _ = try RenderFixtures.stillsFolder(count: count, in: dir)
            _ = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
            let r = try DegradeCLI.run(RenderFixtures.renderArgs(recipe: "\(dir)/recipe.yaml", stills: "\(dir)/stills", out: "\(dir)/clean",
                                                                 seed: seed, extra: extra), logDir: dir)
            try #require(r.status == 0, "reference render failed: \(r.stderr)")
            cached[id] = dir
            return dir
        }
        return (dir, "\(dir)/clean")
    }
}
