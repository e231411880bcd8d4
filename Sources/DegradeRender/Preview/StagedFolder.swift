import DegradeEngine
import DegradeMedia
import Foundation

/// An output folder that appears complete or not at all: everything is written into a hidden staging folder
/// beside the target, which is renamed into place at the end. An existing non-empty target is refused
/// unless `force`; with `force` it is replaced in one rename (the old folder is moved aside first and
/// deleted only once the new one is in place).
struct StagedFolder {
    /// The target, absolute and standardised.
    let target: String
    let staging: String
    let force: Bool

    /// Checks the target and creates an empty staging folder. Refuses (`InputError`) a target that is a file,
    /// a non-empty folder without `force`, the root, or — when it would be replaced — a folder that holds the
    /// current directory or any of `protecting` (e.g. the input clips).
    init(out: String, force: Bool, protecting: [String] = []) throws {
        guard !out.isEmpty else { throw InputError("--out is empty; name a folder for the preview") }
        let target = StagedFolder.absolute(out)
        guard target != "/" else { throw InputError("--out \(out) is the root folder; name a folder for the preview") }
        self.target = target
        self.force = force
        // Never written where the preview reads: not onto, into or around an input.
        try PathOverlap.check(output: out, inputs: protecting.map { ("input", $0) })
        try StagedFolder.checkTarget(target, out: out, force: force, protecting: protecting)
        let url = URL(fileURLWithPath: target)
        let parent = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw WriteError(parent, "cannot create the folder for --out: \(SystemErrorText.describe(error))")
        }
        staging = "\(parent)/.\(url.lastPathComponent).partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw WriteError(staging, "cannot create the staging folder: \(SystemErrorText.describe(error))")
        }
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func checkTarget(_ target: String, out: String, force: Bool, protecting: [String]) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: target, isDirectory: &isDir) else { return }
        guard isDir.boolValue else { throw InputError("--out \(out) exists and is not a folder; choose another --out") }
        let contents = (try? fm.contentsOfDirectory(atPath: target)) ?? []
        guard !contents.isEmpty else { return }
        guard force else { throw InputError("--out \(out) exists and is not empty; pass --force to replace an earlier preview there, or choose another --out") }
        // --force replaces only what an earlier preview wrote, never a folder degrade does not recognise.
        guard contents.contains(PreviewCatalog.fileName) else {
            throw InputError("--out \(out) holds files degrade did not write (no \(PreviewCatalog.fileName)); --force replaces only an earlier preview. Choose another --out")
        }
        let inside = { (path: String) in path == target || path.hasPrefix(target + "/") }
        if inside(absolute(fm.currentDirectoryPath)) {
            throw InputError("--out \(out) holds the current folder; refusing to replace it even with --force")
        }
        for p in protecting where inside(absolute(p)) {
            throw InputError("--out \(out) holds \(p), which the preview reads; refusing to replace it even with --force")
        }
    }

    /// Moves the staging folder into place (replacing the target when `force`).
    func commit() throws {
        let fm = FileManager.default
        // Re-check: the target may have been filled while the preview ran.
        try StagedFolder.checkTarget(target, out: target, force: force, protecting: [])
        if fm.fileExists(atPath: target) {
            let old = staging.replacingOccurrences(of: ".partial-", with: ".old-")
            try? fm.removeItem(atPath: old)
            do {
                try fm.moveItem(atPath: target, toPath: old)
            } catch {
                throw WriteError(target, "cannot move the old folder aside: \(SystemErrorText.describe(error))")
            }
            do {
                try fm.moveItem(atPath: staging, toPath: target)
            } catch {
                try? fm.moveItem(atPath: old, toPath: target)
                throw WriteError(target, "cannot move the preview into place: \(SystemErrorText.describe(error))")
            }
            try? fm.removeItem(atPath: old)
        } else {
            do {
                try fm.moveItem(atPath: staging, toPath: target)
            } catch {
                throw WriteError(target, "cannot move the preview into place: \(SystemErrorText.describe(error))")
            }
        }
    }

    func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// A path relative to the output folder that stays inside it: not absolute, no `.`/`..` or empty parts.
    static func isContained(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\\") else { return false }
        return relative.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { $0 != "" && $0 != "." && $0 != ".." }
    }
}
