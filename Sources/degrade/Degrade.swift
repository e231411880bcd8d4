import ArgumentParser
import DegradeEngine
import DegradeMedia
import DegradeTrain
import Foundation

@main
struct Degrade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "degrade",
        abstract: "Synthesise realistic degraded video for real-world video super-resolution.",
        discussion: """
            Every sample is a pure function of (recipe, seed, clip key): the same inputs give the same bytes \
            whatever the thread count, order or shard.

            Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.
            """,
        version: DegradeVersion.string,
        subcommands: [ClipsCommand.self, PlanCommand.self, RecipeCommand.self, ApplyCommand.self, RenderCommand.self, MergeIndexCommand.self, VerifyCommand.self,
                      PreviewCommand.self, AuditCommand.self, BenchCommand.self, TrainCommand.self, EvalCommand.self,
                      UpscaleCommand.self, MakeVideoCommand.self, ExtractCommand.self, NetworkProbeCommand.self])

    /// Parses and runs, mapping failures onto the documented exit statuses: ArgumentParser's own usage
    /// errors (which it would report as 64) and bad input files or recipes become 2, everything else 1.
    static func main() {
        SuperResolverLoader.registerGenerator()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if let e = error as? ExitCode { Foundation.exit(e.rawValue) }  // the command has said why already
            if code == .success {
                exit(withError: error)  // --help, --version
            }
            var message = fullMessage(for: error)
            // A Foundation file error that no layer translated: still plain words and the path, never a domain code.
            if (error as NSError).domain == NSCocoaErrorDomain || (error as NSError).domain == NSPOSIXErrorDomain {
                message = (SystemErrorText.path(error).map { "\($0): " } ?? "") + SystemErrorText.describe(error)
            }
            if message.hasPrefix("Error: ") { message.removeFirst(7) }
            Console.error(message)
            Foundation.exit(ExitStatus.for(error, argumentParserCode: code.rawValue))
        }
    }
}
