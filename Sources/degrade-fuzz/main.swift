import Foundation

// degrade-fuzz: mutates recipes, plans, frames and render catalogs, runs the real `degrade` on each case and
// checks that it exits with 0, 1 or 2 (no signal), within the time limit, under the memory limit, and without
// changing any file outside its --out. Usage: see `usage` below; tools/fuzz wraps it.

let usage = """
    usage: degrade-fuzz [--degrade PATH] [--repo DIR] [--seed N] [--cases N] [--seconds S] [--timeout S] [--rss-mb N] [--failures DIR]
      --degrade   the degrade binary (default: REPO/.build/debug/degrade)
      --repo      the repository, for recipes/ and datasets/ (default: the current folder)
      --seed      makes the run reproducible: case i of seed s is always the same case (default 1)
      --cases     stop after N cases (default: unlimited, use --seconds)
      --seconds   stop starting cases after S seconds, corpus excluded (default 60)
      --timeout   a case running longer fails (default 60)
      --rss-mb    a case whose peak RSS reaches this many MB fails (default 2048)
      --failures  where failing cases are kept as reproducers (default: REPO/out/fuzz/failures)
    Checks per case: exit status 0, 1 or 2 (no signal), no timeout, peak RSS below the limit, and no file outside
    the command's --out added, removed or changed (size, mtime, mode; SQLite's -wal/-shm sidecars are not counted).
    """

var options: [String: String] = [:]
var argIterator = CommandLine.arguments.dropFirst().makeIterator()
while let arg = argIterator.next() {
    guard arg.hasPrefix("--"), let value = argIterator.next() else {
        FileHandle.standardError.write(Data("degrade-fuzz: unexpected argument \(arg)\n\(usage)\n".utf8))
        exit(2)
    }
    options[String(arg.dropFirst(2))] = value
}
@MainActor func number(_ key: String, _ def: Double) -> Double {
    guard let text = options[key] else { return def }
    guard let v = Double(text), v.isFinite, v >= 0 else {
        FileHandle.standardError.write(Data("degrade-fuzz: --\(key) expects a non-negative number, got \(text)\n".utf8))
        exit(2)
    }
    return v
}
let known: Set<String> = ["degrade", "repo", "seed", "cases", "seconds", "timeout", "rss-mb", "failures"]
if let unknown = options.keys.first(where: { !known.contains($0) }) {
    FileHandle.standardError.write(Data("degrade-fuzz: unknown option --\(unknown)\n\(usage)\n".utf8))
    exit(2)
}
let repo = URL(fileURLWithPath: options["repo"] ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
let degrade = options["degrade"] ?? "\(repo)/.build/debug/degrade"
guard FileManager.default.isExecutableFile(atPath: degrade) else {
    FileHandle.standardError.write(Data("degrade-fuzz: no degrade binary at \(degrade) (build it: swift build)\n".utf8))
    exit(2)
}
let seed = UInt64(number("seed", 1))
let maxCases = options["cases"].map { _ in Int(min(number("cases", 0), 1e9)) }
let budget = number("seconds", options["cases"] == nil ? 60 : .infinity)
let timeout = number("timeout", 60)
let rssLimit = Int(min(number("rss-mb", 2048), 1e9)) << 20
let failures = options["failures"] ?? "\(repo)/out/fuzz/failures"

let work = FileManager.default.temporaryDirectory.appendingPathComponent("degrade-fuzz-\(getpid())").path
try? FileManager.default.removeItem(atPath: work)
let corpus: Corpus
do {
    corpus = try Corpus(root: "\(work)/corpus", repo: repo, degrade: degrade)
} catch {
    FileHandle.standardError.write(Data("degrade-fuzz: cannot build the corpus: \(error)\n".utf8))
    exit(1)
}

let start = Date()
var passed = 0, failed = 0
var byKind: [String: Int] = [:]
var i = 0
while (maxCases.map { i < $0 } ?? true) && Date().timeIntervalSince(start) < budget {
    defer { i += 1 }
    let folder = "\(work)/case-\(i)"
    let c: FuzzCase
    do {
        c = try FuzzCase(index: i, seed: seed, corpus: corpus, folder: folder)
    } catch {
        FileHandle.standardError.write(Data("degrade-fuzz: case \(i) could not be made: \(error)\n".utf8))
        exit(1)
    }
    byKind[c.kind.rawValue, default: 0] += 1
    let roots = [work, "\(repo)/recipes", "\(repo)/datasets"]
    let allowed = c.outputs + ["\(folder)/stdout.txt", "\(folder)/stderr.txt"]
    let before = roots.map { FolderSnapshot($0, excluding: allowed) }
    let outcome = CaseRunner.run(degrade, c.arguments, in: folder, timeout: timeout)
    let after = roots.map { FolderSnapshot($0, excluding: allowed) }
    var problems: [String] = []
    if outcome.timedOut { problems.append(String(format: "ran longer than %.0f s (killed)", timeout)) }
    if let s = outcome.signal, !outcome.timedOut { problems.append("killed by signal \(s)") }
    if let s = outcome.status, s > 2 { problems.append("exit status \(s)") }
    if outcome.peakRSSBytes >= rssLimit { problems.append("peak RSS \(outcome.peakRSSBytes >> 20) MB") }
    for (b, a) in zip(before, after) {
        let changed = b.differences(to: a)
        if !changed.isEmpty { problems.append("changed outside --out: " + changed.prefix(5).joined(separator: ", ")) }
    }
    if problems.isEmpty {
        passed += 1
        try? FileManager.default.removeItem(atPath: folder)
        continue
    }
    failed += 1
    // Keep a reproducer: the case's inputs, the corpus it refers to, the command and what went wrong.
    let keep = "\(failures)/seed\(seed)-case\(i)"
    try? FileManager.default.removeItem(atPath: keep)
    try? FileManager.default.createDirectory(atPath: failures, withIntermediateDirectories: true)
    try? FileManager.default.copyItem(atPath: folder, toPath: keep)
    if !FileManager.default.fileExists(atPath: "\(failures)/corpus-seed\(seed)") {
        try? FileManager.default.copyItem(atPath: corpus.root, toPath: "\(failures)/corpus-seed\(seed)")
    }
    let command = ([degrade] + c.arguments).map {
        $0.replacingOccurrences(of: folder, with: keep).replacingOccurrences(of: corpus.root, with: "\(failures)/corpus-seed\(seed)")
    }.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    let report = "case \(i) (\(c.kind.rawValue)): \(problems.joined(separator: "; "))\n  mutations: \(c.notes.joined(separator: "; "))\n  reproduce: \(command)\n"
    try? Data((report + "stderr:\n" + Corpus.stderr(folder)).utf8).write(to: URL(fileURLWithPath: "\(keep)/failure.txt"))
    print("FAIL " + report, terminator: "")
    try? FileManager.default.removeItem(atPath: folder)
}
try? FileManager.default.removeItem(atPath: work)
let kinds = byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
print(String(format: "fuzz: %d passed, %d failed (seed %llu, %d cases: %@; %.0f s)", passed, failed, seed, passed + failed, kinds,
             Date().timeIntervalSince(start)))
exit(failed == 0 ? 0 : 1)
