import ArgumentParser
import DegradeEngine
import DegradeRender

struct MergeIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-index",
        abstract: "Combine shard renders (same recipe and seed) into one set with one index.sqlite.",
        discussion: """
            The shards must be all of 1/N … N/N of one render (the same recipe, seed, options and input clips), each
            finished and with every frame its index lists on disk at the recorded size (--verify: and checksum).
            Missing, repeated, mixed or unfinished shards are refused, naming them; --allow-partial merges what is
            there and marks the merged index partial (run.partial = 1).
            """)

    @Argument(help: "Shard folders written by `render --shard i/n`.") var shards: [String]
    @Option(name: .long, help: "Output folder for the merged set (new or empty).") var out: String
    @Flag(name: .customLong("allow-partial"), help: "Merge an incomplete shard set; the merged index is marked partial.") var allowPartial = false
    @Flag(name: .long, help: "Also compare every frame's checksum with its shard's index.") var verify = false

    func run() throws {
        let s = try IndexMerge.merge(shards: shards, into: out, allowPartial: allowPartial, verify: verify)
        for w in s.warnings { Console.note("warning: \(w)") }
        if !s.problems.isEmpty { Console.note("merged a partial set (marked partial in its index): " + s.problems.joined(separator: "; ")) }
        print("merged \(s.clips) clips from \(s.shards) shards into \(out)")
    }
}
