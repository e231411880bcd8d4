import ArgumentParser
import DegradeEngine

@main
struct Degrade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "degrade",
        abstract: "Synthesise realistic degraded video for real-world video super-resolution.",
        version: DegradeVersion.string,
        subcommands: [])
}
