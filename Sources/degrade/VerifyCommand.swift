import ArgumentParser
import DegradeRender

/// Checks a rendered set against its index.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a rendered set: every frame its index lists is on disk with its size and checksum, the set is complete, meta_info.txt agrees.",
        discussion: """
            Exit status 0 when the set is intact, 1 when anything is missing, changed or unfinished (each problem is
            listed), 2 when DIR is not a readable rendered set. Repair a set by running its render command again:
            resume renders the clips whose files are missing or changed (add --verify there to compare checksums).
            """)

    @Argument(help: "A folder written by `degrade render` or `degrade merge-index`.") var dir: String
    @Flag(name: .long, help: "Check presence and sizes only, not checksums (fast).") var quick = false

    func run() throws {
        let r = try SetVerification.check(root: dir, checksums: !quick)
        if r.problems.isEmpty {
            print("\(dir): intact — \(r.clips) clips, \(r.frames) frames\(quick ? " (sizes checked, not checksums)" : ", every checksum matches")")
            return
        }
        for p in r.problems.prefix(50) { Console.error(p) }
        if r.problems.count > 50 { Console.error("… and \(r.problems.count - 50) more") }
        throw ExitCode(1)
    }
}
