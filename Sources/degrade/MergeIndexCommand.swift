import ArgumentParser
import DegradeEngine
import DegradeRender

struct MergeIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-index",
        abstract: "Combine shard renders (same recipe and seed) into one set with one index.sqlite.")

    @Argument(help: "Shard folders written by `render --shard i/n`.") var shards: [String]
    @Option(name: .long, help: "Output folder for the merged set.") var out: String

    func run() throws {
        let s = try IndexMerge.merge(shards: shards, into: out)
        print("merged \(s.clips) clips from \(s.shards) shards into \(out)")
    }
}
