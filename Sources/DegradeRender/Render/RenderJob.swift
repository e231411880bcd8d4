import DegradeEngine
import DegradeMedia
import DegradeOps
import Foundation
import Synchronization

/// `degrade render`: writes REDS-style folders (`lq/<key>/`, `gt/<key>/`, and `gt_unsharp/<key>/` when asked or
/// when `gt/` cannot give it back), a BasicSR `meta_info.txt` and `index.sqlite`.
///
/// Crash-safe and resumable: each clip's frames are written into a hidden `.partial-…` folder that is renamed
/// into place, then the clip is committed to the catalog in one transaction. Killed at any moment and run
/// again, the job skips committed clips, re-renders the rest, and ends with the same bytes as a clean run.
public struct RenderJob: Sendable {
    public var recipe: Recipe
    public var seed: UInt64
    public var sourceSpec: ClipSourceSpec
    public var out: String
    public var selection: SampleSelection
    /// Clips rendered concurrently (each clip's frames run on one thread, so jobs scale across cores).
    public var jobs: Int
    public var force: Bool
    /// Resume checks the checksum of every frame already rendered, not only its presence and size.
    public var verify: Bool
    /// Where files go (part of the set's identity).
    public var layout: SetLayout
    /// `--gt-unsharp` (true), `--no-gt-unsharp` (false) or neither (nil: only when `gt/` cannot give it back, and
    /// a resumed set keeps what it has).
    public var requestedGTUnsharp: Bool?
    /// The form of `meta_info.txt` (rewritten at the end of every run, so not part of the identity).
    public var metaInfoFormat: MetaInfo.Format
    /// How hard PNGs are compressed. Not part of the set's identity: the pixels are the same at every level, and
    /// a resumed run may use another level (each file's size and checksum are recorded as written).
    public var pngCompression: PNGCompression
    /// The most bytes of decoded source frames kept for the next samples of the same clip (`--source-cache`);
    /// 0 decodes every frame each time it is read.
    public var sourceCacheBytes: Int = RenderJob.defaultSourceCacheBytes
    public static let defaultSourceCacheBytes = 512 << 20
    let notices = Notices()

    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var key: String
        public var seconds: Double
    }

    public struct Summary: Sendable {
        public var rendered: Int
        public var skipped: Int
        public var total: Int
        public var seconds: Double
        /// Clips the catalog listed as done whose files were missing or changed; rendered again.
        public var repaired: [SetVerification.Problem] = []
        /// Things the user should know that did not stop the run.
        public var notices: [String] = []
        /// Source frames served from the decoded-frame cache, and frames decoded (PNG folders only).
        public var sourceFramesReused = 0, sourceFramesDecoded = 0
        /// CPU time of the samples rendered by this run, by phase.
        public var phases = RenderPhases()
    }

    public init(recipe: Recipe, seed: UInt64, sourceSpec: ClipSourceSpec, out: String, selection: SampleSelection = SampleSelection(),
                jobs: Int = 1, force: Bool = false, verify: Bool = false, groundTruth: Bool = true, gtUnsharp: Bool? = nil,
                metaInfoFormat: MetaInfo.Format = .basicsr, pngCompression: PNGCompression = .fast) {
        self.recipe = recipe
        self.seed = seed
        self.sourceSpec = sourceSpec
        self.out = out
        self.selection = selection
        self.jobs = max(1, jobs)
        self.force = force
        self.verify = verify
        self.layout = SetLayout(images: recipe.clip.frames == 1, variantRoots: selection.repeatCount > 1, groundTruth: groundTruth,
                                gtUnsharp: gtUnsharp ?? RenderJob.needsGTUnsharp(recipe, groundTruth: groundTruth))
        self.requestedGTUnsharp = gtUnsharp
        self.metaInfoFormat = metaInfoFormat
        self.pngCompression = pngCompression
    }

    /// A recipe that sharpens the GT before its paired crop, or a set that may leave `gt/` out, has no way back to the
    /// sharpened GT but `gt_unsharp/` itself; otherwise readers recompute it exactly from `gt/`.
    static func needsGTUnsharp(_ recipe: Recipe, groundTruth: Bool) -> Bool {
        recipe.clip.unsharp != nil && (recipe.clip.pairedCrop != nil || !groundTruth)
    }

    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws -> Summary {
        // Without either flag, a resumed set keeps its own choice (sets rendered before gt_unsharp/ became optional
        // have it); a flag that contradicts the set is refused by `checkSameRun`.
        if requestedGTUnsharp == nil, !force, let kept = RenderJob.existingGTUnsharp(out), kept != layout.gtUnsharp {
            var job = self
            job.layout.gtUnsharp = kept
            return try job.run(progress: progress)
        }
        let started = ContinuousClock.now
        // Every input and option is checked before anything is written or deleted: the source, the selection
        // (unknown or repeated clips, keys unfit as folder names), where --out lies, and what it holds.
        var source = try sourceSpec.open()
        let cache = sourceCacheBytes > 0 ? DecodedFrameCache(budget: sourceCacheBytes) : nil
        if var folders = source as? REDSSource {
            folders.frameCache = cache
            source = folders
        }
        let kind = try sourceSpec.resolvedKind()
        let clips = try source.clips()
        let samples = try selection.samples(from: clips)
        var inputs: [(option: String, path: String)] = [("--input", sourceSpec.path)]
        if let m = sourceSpec.metaInfo { inputs.append(("--meta-info", m)) }
        if !recipe.file.isEmpty { inputs.append(("the recipe", recipe.file)) }
        try PathOverlap.check(output: out, inputs: inputs)
        try checkGTUnsharp()
        let options = RenderOptions(recipe: recipe, selection: selection, spec: sourceSpec, kind: kind, clips: clips, layout: layout)
        let run = RenderCatalog.Run(recipeName: recipe.name, recipeHash: recipe.hash, recipeText: recipe.source, seed: seed,
                                    toolVersion: DegradeVersion.string, source: sourceSpec.path, options: options.json,
                                    expectedClips: samples.count, sampleVersion: DegradeVersion.sampleVersion,
                                    nativeLibraries: RenderCatalog.encodeLibraries(NativeLibraries.versions()))
        let existed = try RenderOutput.checkUsable(out, force: force)
        try Folder.create(out)
        let lock = try OutputLock(folder: out)
        defer { lock.release() }
        var committed = false
        do {
            var summary = try render(samples: samples, source: source, run: run, options: options, started: started,
                                     committed: &committed, progress: progress)
            if let counts = cache?.counts { (summary.sourceFramesReused, summary.sourceFramesDecoded) = counts }
            return summary
        } catch {
            // A run that committed nothing leaves nothing behind in a folder it created.
            if !existed && !committed { discardFolder() }
            throw error
        }
    }

    /// The part of `run` that holds the folder's lock.
    func render(samples: [SampleSelection.Sample], source: any ClipSource, run: RenderCatalog.Run, options: RenderOptions,
                started: ContinuousClock.Instant, committed: inout Bool,
                progress: @escaping @Sendable (Progress) -> Void) throws -> Summary {
        let indexPath = "\(out)/\(RenderCatalog.fileName)"
        // Re-checked under the lock: another process may have changed the folder meanwhile.
        _ = try RenderOutput.checkUsable(out, force: force)
        var catalog = try RenderCatalog(path: indexPath)
        let holdsRender = try catalog.run() != nil
        let holdsClips = try !catalog.doneKeys().isEmpty
        if force && (holdsRender || holdsClips) {
            let kept = try RenderOutput.clear(out, catalog: catalog)
            if !kept.isEmpty { notices.add("--force kept \(kept.count) file(s) the earlier render did not write: \(kept.prefix(3).joined(separator: ", "))\(kept.count > 3 ? ", …" : "")") }
            catalog = try RenderCatalog(path: indexPath)
        }
        if let existing = try catalog.run() {
            try checkSameRun(existing, run, options, catalog: catalog)
            if existing.expectedClips != run.expectedClips || existing.options != run.options { try catalog.setRun(run) }
        }
        try removePartials()

        // Resume trusts nothing it cannot see: a clip whose files are missing, resized or (with --verify) changed
        // is forgotten and rendered again.
        let wanted = Set(samples.map(\.key))
        let doneRows = try catalog.clipRows().filter { wanted.contains($0.key) }
        let broken = SetVerification.problems(root: out, rows: doneRows, checksums: verify)
        try catalog.forget(broken.map(\.key))
        let done = Set(doneRows.map(\.key)).subtracting(broken.map(\.key))
        let todo = RenderJob.groupedByClip(samples.filter { !done.contains($0.key) })
        var executor = Executor(threads: 1)
        executor.keepsSharpenedGroundTruth = layout.gtUnsharp  // nothing else of a clip's sharpened GT is used here
        let maker = SampleMaker(recipe: recipe, seed: seed, source: source, executor: executor)
        // Workers that found no clip left have stopped: a clip compresses its PNGs on the cores they leave idle
        // (a set with fewer clips than --jobs, and the last clips of every set), never on more than --jobs in all.
        let inFlight = Atomic<Int>(0)

        let sharing = SourceSharing(todo: todo, source: source, maker: maker)
        let catalogLock = Mutex(())
        let failure = Mutex<Error?>(nil)
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let totalPhases = Mutex(RenderPhases())
        let base = samples.count - todo.count
        let killSwitch = RenderKillSwitch()
        let committedClips = Atomic<Int>(base)  // changed only under catalogLock
        nonisolated(unsafe) let unsafeCatalog = catalog  // every use is under catalogLock
        let work: @Sendable () -> Void = {
            while failure.withLock({ $0 == nil }) {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < todo.count else { return }
                let sample = todo[i]
                let t0 = ContinuousClock.now
                inFlight.add(1, ordering: .relaxed)
                defer { inFlight.subtract(1, ordering: .relaxed) }
                sharing.starting(sample)
                defer { sharing.finished(sample) }
                do {
                    var phases = RenderPhases()
                    let row = try self.render(sample, maker: maker, phases: &phases) { max(1, self.jobs - inFlight.load(ordering: .relaxed) + 1) }
                    // The run record goes in with the first clip, so a run that fails before finishing one leaves none.
                    try phases.time(.catalog) {
                        try catalogLock.withLock { _ in
                            try unsafeCatalog.record(row, run: run)
                            killSwitch.committed(committedClips.add(1, ordering: .relaxed).newValue)
                        }
                    }
                    phases.countSample()
                    totalPhases.withLock { $0.add(phases) }
                    let n = finished.add(1, ordering: .relaxed).newValue
                    let d = ContinuousClock.now - t0
                    progress(Progress(done: base + n, total: samples.count, key: sample.key,
                                      seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18))
                } catch {
                    failure.withLock { if $0 == nil { $0 = RenderError(key: sample.key, underlying: error) } }
                }
            }
        }
        if jobs == 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: min(jobs, max(todo.count, 1))) { _ in work() }
        }
        committed = finished.load(ordering: .relaxed) > 0 || base > 0
        if let error = failure.withLock({ $0 }) { throw error }
        if try catalog.run() == nil { try catalog.setRun(run) }  // a shard with no clips is still a finished shard
        committed = true
        try writeMetaInfo(catalog)
        let d = ContinuousClock.now - started
        return Summary(rendered: todo.count, skipped: base, total: samples.count,
                       seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
                       repaired: broken, notices: notices.all, phases: totalPhases.withLock { $0 })
    }

    /// The samples of each clip one after another (in key order within a clip, clips by their first sample), so the
    /// frames they share are still in the decoded-frame cache. Order changes no byte: every sample is a pure
    /// function of its key, and the catalog and meta_info are ordered by key.
    static func groupedByClip(_ samples: [SampleSelection.Sample]) -> [SampleSelection.Sample] {
        var firstSeen: [String: Int] = [:]
        for (i, s) in samples.enumerated() where firstSeen[s.clip.key] == nil { firstSeen[s.clip.key] = i }
        return samples.enumerated().sorted { a, b in
            let ca = firstSeen[a.element.clip.key] ?? 0, cb = firstSeen[b.element.clip.key] ?? 0
            return ca != cb ? ca < cb : a.offset < b.offset
        }.map(\.element)
    }

    /// `--gt-unsharp` needs a sharpened GT to write, and `--no-gt-unsharp` a `gt/` to recompute it from.
    func checkGTUnsharp() throws {
        if requestedGTUnsharp == true && recipe.clip.unsharp == nil {
            throw InputError("--gt-unsharp: recipe \(recipe.name) has no `unsharp` section, so it makes no sharpened GT to write; leave the option out")
        }
        guard requestedGTUnsharp == false, recipe.clip.unsharp != nil else { return }
        if recipe.clip.pairedCrop != nil {
            throw InputError("--no-gt-unsharp: recipe \(recipe.name) sharpens the whole GT before its paired crop, so gt_unsharp/ cannot be recomputed from gt/; leave the option out (gt_unsharp/ is then written)")
        }
        if !layout.groundTruth {
            throw InputError("--no-gt-unsharp with --no-gt: a clip whose GT is the unchanged source would have neither gt/ nor gt_unsharp/ to read its sharpened GT from; drop one of the two options")
        }
    }

    /// Whether the set already in `out` has `gt_unsharp/`, by its catalog (nil: no readable render there).
    static func existingGTUnsharp(_ out: String) -> Bool? {
        let index = "\(out)/\(RenderCatalog.fileName)"
        guard FileManager.default.fileExists(atPath: index), let catalog = try? RenderCatalog(path: index, readOnly: true),
              let run = try? catalog.run(), let options = RenderOptions.decode(run.options) else { return nil }
        return options.layout.gtUnsharp
    }

    /// Refuses to resume into a set made by another recipe, seed or options, naming each difference.
    func checkSameRun(_ existing: RenderCatalog.Run, _ run: RenderCatalog.Run, _ options: RenderOptions, catalog: RenderCatalog) throws {
        var differences: [String] = []
        if existing.recipeHash != run.recipeHash {
            differences.append("recipe \(run.recipeName) (hash \(run.recipeHash)); the set has \(existing.recipeName) (hash \(existing.recipeHash))")
        }
        if existing.seed != run.seed { differences.append("seed \(run.seed); the set has seed \(existing.seed)") }
        let theirs = existing.sampleVersion ?? 1
        if theirs != DegradeVersion.sampleVersion {
            differences.append("sample version \(DegradeVersion.sampleVersion) (degrade \(DegradeVersion.string)); the set was rendered with sample version \(theirs) (degrade \(existing.toolVersion)), whose bytes differ")
        }
        let libraries = NativeLibraries.differences(RenderCatalog.decodeLibraries(existing.nativeLibraries), RenderCatalog.decodeLibraries(run.nativeLibraries))
        if existing.nativeLibraries != nil && !libraries.isEmpty {
            notices.add("warning: the set was rendered with other native builds (\(libraries.joined(separator: "; "))); clips rendered now may differ in bytes from the ones before")
        }
        if let old = RenderOptions.decode(existing.options) {
            differences += options.differences(from: old)
        } else if existing.options != options.legacyJSON(spec: sourceSpec) {
            // A schema-1 set: its options text is compared as that version wrote it.
            differences.append("options \(options.legacyJSON(spec: sourceSpec)); the set has \(existing.options)")
        }
        guard differences.isEmpty else {
            throw InputError("\(out) holds a render that differs from this run: this run has " + differences.joined(separator: "; ")
                + ". Refusing to mix them: use another --out, or --force to delete that render's files and start over")
        }
    }

    /// Removes what this run created in a folder that did not exist before it (the run committed nothing).
    func discardFolder() {
        try? RenderOutput.removeEmptyFolders(out)
        for name in [RenderCatalog.fileName, "\(RenderCatalog.fileName)-wal", "\(RenderCatalog.fileName)-shm"] {
            try? Folder.remove("\(out)/\(name)")
        }
        if Folder.entries(out).filter({ $0 != OutputLock.fileName }).isEmpty {
            unlink("\(out)/\(OutputLock.fileName)")
            rmdir(out)
        }
    }

    /// Renders one sample's frames into place and returns its catalog row (not yet committed).
    /// `encodeThreads` says, when the frames are ready, how many threads may compress them.
    /// `phases` gets the sample's CPU time by phase.
    func render(_ sample: SampleSelection.Sample, maker: SampleMaker, phases: inout RenderPhases,
                encodeThreads: () -> Int = { 1 }) throws -> RenderCatalog.ClipRow {
        let t0 = ContinuousClock.now
        let plan = try maker.plan(clip: sample.clip, variant: sample.variant)
        let source = try phases.time(.sources) { try maker.sourceFrames(for: plan) }
        let clip = try phases.time(.degrade) { try maker.executor.run(plan, source: source) }
        // The frameworks' paired crops require GT = scale × LQ exactly; the planner trims the GT to a multiple of the
        // scale, so only a recipe whose final size is not GT/scale can fail here.
        for (t, lq) in clip.lq.enumerated() where t < clip.gt.count {
            let gt = clip.gt[t]
            guard gt.width == lq.width * recipe.scale, gt.height == lq.height * recipe.scale else {
                throw InputError("recipe \(recipe.name) makes frame \(t) \(lq.width)×\(lq.height) from a \(gt.width)×\(gt.height) GT, not GT/\(recipe.scale) (its `scale`); end the pipeline at target_scale 1/\(recipe.scale) (or set `scale` to what it does) so the set's pairs line up")
            }
        }
        var sets: [(String, [Image])] = [("lq", clip.lq)]
        if layout.groundTruth || RenderJob.changesGroundTruth(plan, clipFrames: sample.clip.frameCount) { sets.append(("gt", clip.gt)) }
        if let u = try phases.time(.degrade, { try sharpenedGroundTruth(clip, plan: plan) }) { sets.append(("gt_unsharp", u)) }
        var frames: [RenderCatalog.FrameRow] = []
        let root = "\(out)/\(layout.root(variant: sample.variant))"
        let name = layout.name(sampleKey: sample.key, clipKey: sample.clip.key)
        /// Writes frame t of `kind` (already encoded) to `file` — atomically by itself, or in a staging folder whose
        /// rename makes it appear —, and returns its catalog row.
        func write(_ encoded: FrameEncoding.File, of image: Image, kind: String, t: Int, to file: String, staged: Bool) throws -> RenderCatalog.FrameRow {
            let path = layout.framePath(kind: kind, sampleKey: sample.key, clipKey: sample.clip.key, variant: sample.variant, index: t)
            if staged {
                try StagedFile.write(encoded.bytes, to: file)
            } else {
                try AtomicFile.write(encoded.bytes, to: file, durable: false)
            }
            return .init(kind: kind, index: t, path: path, width: image.width, height: image.height, checksum: encoded.checksum,
                         params: kind == "lq" ? FrameParameters(plan: plan, frame: t).json() : "{}", bytes: encoded.bytes.count)
        }
        for (kind, images) in sets {
            let dir = "\(root)\(kind)"
            try Folder.create(dir)
            let encoded = try phases.time(.encode) {
                try FrameEncoding.encode(images, plan: plan, compression: pngCompression, threads: encodeThreads()) { t in
                    "\(out)/\(layout.framePath(kind: kind, sampleKey: sample.key, clipKey: sample.clip.key, variant: sample.variant, index: t))"
                }
            }
            let filesStarted = ThreadClock.cpuSeconds()
            defer { phases.charge(.files, since: filesStarted) }
            if layout.images {
                // One frame per sample, written flat (`lq/NAME.png`); each file appears whole by its own rename.
                for (t, image) in images.enumerated() {
                    let path = layout.framePath(kind: kind, sampleKey: sample.key, clipKey: sample.clip.key, variant: sample.variant, index: t)
                    frames.append(try write(encoded[t], of: image, kind: kind, t: t, to: "\(out)/\(path)", staged: false))
                }
                continue
            }
            let staging = "\(dir)/.partial-\(name)-\(getpid())"
            try? Folder.remove(staging)
            try Folder.create(staging)
            do {
                for (t, image) in images.enumerated() {
                    frames.append(try write(encoded[t], of: image, kind: kind, t: t, to: "\(staging)/\(layout.frameName(t))", staged: true))
                }
                let final = "\(dir)/\(name)"
                if FileManager.default.fileExists(atPath: final) {
                    // Left by a run killed between moving a clip into place and committing it, or by someone else.
                    try RenderOutput.checkReplaceable(final)
                    try Folder.remove(final)
                }
                try Folder.move(staging, to: final)
            } catch {
                try? Folder.remove(staging)  // a full disk must not leave staging folders until the next run
                throw error
            }
        }
        let d = ContinuousClock.now - t0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return RenderCatalog.ClipRow(
            key: sample.key, sourceClip: sample.clip.key, variant: sample.variant,
            plan: String(decoding: try encoder.encode(plan), as: UTF8.self),
            seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
            opSeconds: String(decoding: try encoder.encode(clip.opSeconds), as: UTF8.self),
            compressedBytes: String(decoding: try encoder.encode(clip.compressedBytes), as: UTF8.self),
            frames: frames)
    }

    /// The clip's `gt_unsharp/` frames, if it gets them: always with `--gt-unsharp`; otherwise only when `gt/` cannot give
    /// them back exactly — its GT is not 8-bit (camera pans, 16-bit sources), so the rounded `gt/` would sharpen differently.
    func sharpenedGroundTruth(_ clip: DegradedClip, plan: DegradationPlan) throws -> [Image]? {
        if layout.gtUnsharp { return clip.gtUnsharp }
        let distinct = plan.mirror ? clip.gt.prefix(clip.gt.count / 2) : clip.gt[...]  // the second half repeats the first
        guard plan.unsharp != nil, !distinct.allSatisfy(RenderJob.isEightBit) else { return nil }
        return clip.gtUnsharp ?? GroundTruthSharpening.apply(clip.gt, plan: plan)
    }

    /// Every sample is a whole number of 8-bit levels: what a PNG of the image decodes to.
    static func isEightBit(_ image: Image) -> Bool {
        image.pixels.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return true }
            // 16 samples at a time: v is a level when it lies in [0, 1] and v·255 rounded (half to even, by the 2²³
            // trick, exact for 0…255) and divided by 255 gives v back — `quantize8`'s value there.
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i + 16 <= p.count {
                let v = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
                let level = ((v * 255 + 0x1p23) - 0x1p23) / 255
                if !all((level .== v) .& (v .>= 0) .& (v .<= 1)) { return false }
                i &+= 16
            }
            for v in p[i...] where Float(Image.quantize8(v)) / 255 != v { return false }
            return true
        }
    }

    /// The GT differs from the source frames whenever the recipe crops, flips, mirrors, pair-crops or picks
    /// a subset of frames; then it is written beside the LQ.
    static func changesGroundTruth(_ plan: DegradationPlan, clipFrames: Int) -> Bool {
        plan.crop != nil || plan.hflip || plan.vflip || plan.transpose || plan.mirror || plan.pairedCrop != nil
            || plan.sourceFrames != Array(0..<clipFrames)
    }

    /// Also removes the temp files of a meta_info write that a killed run left (`AtomicFile` names them
    /// `.meta_info.txt.<pid>.<n>.tmp`); under the output lock no other writer can own one.
    func removePartials() throws {
        for root in RenderOutput.roots(in: out) {
            let rootDir = root.isEmpty ? out : "\(out)/\(root.dropLast())"
            for name in Folder.entries(rootDir) where name.hasPrefix(".meta_info.txt.") && name.hasSuffix(".tmp") {
                try Folder.remove("\(rootDir)/\(name)")
            }
            for kind in RenderOutput.kinds {
                let dir = "\(out)/\(root)\(kind)"
                for name in Folder.entries(dir) where name.hasPrefix(".partial-") { try Folder.remove("\(dir)/\(name)") }
            }
        }
    }

    /// One meta_info per root (per variant with `--repeat`).
    func writeMetaInfo(_ catalog: RenderCatalog) throws {
        try MetaInfoWriter.write(catalog, into: out, format: metaInfoFormat)
    }
}

/// A render failed on one sample; names it.
public struct RenderError: Error, CustomStringConvertible {
    public var key: String
    public var underlying: Error
    public var description: String {
        let inner = "\(underlying)"
        // Errors of the source often name the clip already; say it once.
        return inner.hasPrefix(key + ":") || inner.hasPrefix("clip \(key)") ? inner : "clip \(key): \(inner)"
    }
}

/// Messages collected from worker threads for the summary.
final class Notices: @unchecked Sendable {
    private let lock = Mutex<[String]>([])
    func add(_ s: String) { lock.withLock { $0.append(s) } }
    var all: [String] { lock.withLock { $0 } }
}
