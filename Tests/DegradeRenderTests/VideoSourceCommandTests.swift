import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// `degrade` over video files, as a user runs it: make a video from stills, list it, render it (twice, with
/// different thread counts: same bytes), replay a sample with `apply --plan`, and refuse broken files with exit
/// status 2 and the file's name. The index cache goes to a temporary folder (`DEGRADE_CACHE_DIR`).
@Suite struct VideoSourceCommands {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func degrade(_ args: [String], cache: String, in dir: String) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try DegradeCLI.executable())
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["DEGRADE_CACHE_DIR"] = cache
        p.environment = env
        let out = "\(dir)/stdout-\(UUID().uuidString.prefix(6))", err = "\(dir)/stderr-\(UUID().uuidString.prefix(6))"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle(forWritingAtPath: err)
        try p.run()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    @Test func renderApplyAndClipsOverAFolderOfVideos() throws {
        let dir = try RenderFixtures.tempDir("video")
        let cache = "\(dir)/cache"
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let made = try degrade(["make-video", "--input", stills, "--out", "\(dir)/videos/pans.mp4", "--size", "64x48",
                                "--frames-per-photo", "8", "--gop", "4"], cache: cache, in: dir)
        #expect(made.status == 0, "\(made.stderr)")
        let listed = try degrade(["clips", "--input", "\(dir)/videos", "--json"], cache: cache, in: dir)
        #expect(listed.status == 0, "\(listed.stderr)")
        let clips = try JSONDecoder().decode([ClipInfo].self, from: Data(listed.stdout.utf8))
        #expect(!clips.isEmpty && clips.allSatisfy { $0.key.hasPrefix("pans.mp4") && $0.width == 64 && $0.height == 48 })
        #expect(clips.map(\.frameCount).reduce(0, +) == 16)

        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        var sets: [String] = []
        for jobs in [1, 2] {
            let out = "\(dir)/set\(jobs)"
            let r = try degrade(["render", recipe, "--input", "\(dir)/videos", "--source", "video", "--out", out, "--seed", "3",
                                 "--jobs", "\(jobs)", "--quiet"], cache: cache, in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            sets.append(out)
        }
        #expect(try RenderSnapshot(sets[0]) == RenderSnapshot(sets[1]))
        for clip in clips { #expect(FileManager.default.fileExists(atPath: "\(sets[0])/lq/\(clip.key)")) }

        // The plan records the window (source frames); replaying it gives the rendered LQ frames again.
        let key = clips[0].key
        let catalog = try RenderCatalog(path: "\(sets[0])/\(RenderCatalog.fileName)", readOnly: true)
        let row = try #require(try catalog.clipRows().first { $0.key == key })
        try Data(row.plan.utf8).write(to: URL(fileURLWithPath: "\(dir)/plan.json"))
        let applied = try degrade(["apply", recipe, "--input", "\(dir)/videos", "--plan", "\(dir)/plan.json", "--seed", "3", "--out", "\(dir)/replay"],
                                  cache: cache, in: dir)
        #expect(applied.status == 0, "\(applied.stderr)")
        let rendered = try FileManager.default.contentsOfDirectory(atPath: "\(sets[0])/lq/\(key)").sorted()
        let replayed = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/replay/lq").sorted()
        #expect(rendered.count == replayed.count && !rendered.isEmpty)
        for (a, b) in zip(rendered, replayed) {
            let x = try ImageFile.read("\(sets[0])/lq/\(key)/\(a)").image, y = try ImageFile.read("\(dir)/replay/lq/\(b)").image
            #expect(x == y)
        }
        // Nothing was written beside the videos.
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/videos") == ["pans.mp4"])
    }

    @Test func planRecordsTheWindowPositionAndReplayChecksItAgainstTheFile() throws {
        let dir = try RenderFixtures.tempDir("video-position")
        let cache = "\(dir)/cache"
        try FileManager.default.createDirectory(atPath: "\(dir)/videos", withIntermediateDirectories: true)
        let video = "\(dir)/videos/clip.mp4"
        try VideoRenderFixtures.write(video, frames: 30)
        let recipe = try RenderFixtures.writeRecipe(RenderFixtures.recipeYAML(), in: dir)
        let first = try degrade(["apply", recipe, "--input", "\(dir)/videos", "--source", "video", "--seed", "4", "--out", "\(dir)/first"],
                                cache: cache, in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let planText = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/first/plan.json"))
        let plan = try JSONDecoder().decode(DegradationPlan.self, from: planText)
        let position = try #require(plan.sourcePosition)
        #expect(position.file == "clip.mp4" && position.frame == plan.sourceFrames.min() && position.timeBase.count == 2)

        // Replaying the plan reads the same window: the same frames, byte for byte.
        let replay = try degrade(["apply", recipe, "--input", "\(dir)/videos", "--plan", "\(dir)/first/plan.json", "--seed", "4",
                                  "--out", "\(dir)/replay"], cache: cache, in: dir)
        #expect(replay.status == 0, "\(replay.stderr)")
        for kind in ["gt", "lq"] {
            #expect(try RenderSnapshot.files(in: "\(dir)/first/\(kind)") == RenderSnapshot.files(in: "\(dir)/replay/\(kind)"))
        }

        // A recorded timestamp the file does not have there: the plan is refused, naming the field.
        var edited = try #require(try JSONSerialization.jsonObject(with: planText) as? [String: Any])
        var recorded = try #require(edited["sourcePosition"] as? [String: Any])
        recorded["pts"] = position.pts + 1
        edited["sourcePosition"] = recorded
        try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: "\(dir)/moved.json"))
        let moved = try degrade(["apply", recipe, "--input", "\(dir)/videos", "--plan", "\(dir)/moved.json", "--seed", "4",
                                 "--out", "\(dir)/moved"], cache: cache, in: dir)
        #expect(moved.status == 2 && moved.stderr.contains("sourcePosition.pts") && moved.stderr.contains("changed"), "\(moved.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/moved"))

        // The file re-encoded at another frame rate (same pictures, other timestamps): refused, not read elsewhere.
        try VideoRenderFixtures.write(video, frames: 30, frameRate: 30)
        let changed = try degrade(["apply", recipe, "--input", "\(dir)/videos", "--plan", "\(dir)/first/plan.json", "--seed", "4",
                                   "--out", "\(dir)/changed"], cache: cache, in: dir)
        #expect(changed.status == 2 && changed.stderr.contains("clip.mp4") && changed.stderr.contains("sourcePosition"), "\(changed.stderr)")
    }

    @Test func trainSkipsDamagedWindowsOnlyWhenAsked() throws {
        let dir = try RenderFixtures.tempDir("video-train")
        let cache = "\(dir)/cache"
        _ = try VideoRenderFixtures.damaged(in: dir)
        try """
            name: x4
            scale: 4
            frames: 6
            crop: {size: 32}
            pipeline:
              - resize: {target_scale: 0.25, resize_opt: [bicubic]}
              - quantize
            """.write(toFile: "\(dir)/x4.yaml", atomically: true, encoding: .utf8)
        try """
            name: damaged-video
            recipe: x4.yaml
            seed: 1
            batch: 1
            iterations: 12
            data:
              source: {kind: video, input: damaged.mp4}
              frames: 3
              patch: 8
            network: {channels: 4, cleaning_blocks: 1, propagation_blocks: 1}
            checkpoint: {every: 100, keep: 1}
            """.write(toFile: "\(dir)/train.yaml", atomically: true, encoding: .utf8)
        let stopped = try degrade(["train", "\(dir)/train.yaml", "--out", "\(dir)/run1", "--quiet"], cache: cache, in: dir)
        #expect(stopped.status == 2 && stopped.stderr.contains("damaged.mp4") && stopped.stderr.contains("frame "), "\(stopped.stderr)")
        let skipped = try degrade(["train", "\(dir)/train.yaml", "--out", "\(dir)/run2", "--skip-bad-samples"], cache: cache, in: dir)
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(skipped.stderr.contains("skipped bad sample") && skipped.stderr.contains("bad samples: "), "\(skipped.stderr)")
        #expect(skipped.stderr.contains("damaged.mp4: "), "the summary names the file: \(skipped.stderr)")
    }

    @Test func extractWritesTheShotsAsREDSFoldersThatLoadBackIdentically() throws {
        let dir = try RenderFixtures.tempDir("extract")
        let cache = "\(dir)/cache"
        let stills = try RenderFixtures.stillsFolder(count: 2, in: dir)
        let made = try degrade(["make-video", "--input", stills, "--out", "\(dir)/videos/pans.mkv", "--size", "64x48",
                                "--frames-per-photo", "6", "--gop", "4"], cache: cache, in: dir)
        #expect(made.status == 0, "\(made.stderr)")
        let r = try degrade(["extract", "--input", "\(dir)/videos", "--out", "\(dir)/frames"], cache: cache, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let video = try VideoSource(path: "\(dir)/videos", cacheFolder: cache)
        let reds = try REDSSource(root: "\(dir)/frames", metaInfoPath: "\(dir)/frames/meta_info.txt")
        let clips = try video.clips()
        #expect(try reds.clips().map(\.key) == clips.map(\.key))
        for clip in clips { #expect(try reds.frames(of: clip.key) == video.frames(of: clip.key)) }
        // A second extract into the same folder is refused rather than mixed in.
        let again = try degrade(["extract", "--input", "\(dir)/videos", "--out", "\(dir)/frames"], cache: cache, in: dir)
        #expect(again.status == 2 && again.stderr.contains("already exists"), "\(again.stderr)")
    }

    @Test func brokenVideoFilesExitWithStatusTwoAndTheirName() throws {
        let dir = try RenderFixtures.tempDir("badvideo")
        _ = FileManager.default.createFile(atPath: "\(dir)/empty.mp4", contents: Data())
        try Data("hello".utf8).write(to: URL(fileURLWithPath: "\(dir)/text.mkv"))
        for name in ["empty.mp4", "text.mkv"] {
            let r = try degrade(["clips", "--input", "\(dir)/\(name)"], cache: "\(dir)/cache", in: dir)
            #expect(r.status == 2, "\(name): \(r.stderr)")
            #expect(r.stderr.contains(name) && !r.stderr.contains("Fatal error"), "\(r.stderr)")
        }
    }
}
