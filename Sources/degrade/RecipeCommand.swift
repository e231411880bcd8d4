import ArgumentParser
import DegradeEngine
import DegradeMedia
import Foundation

/// `degrade recipe …`: work on recipe files.
struct RecipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipe",
        abstract: "Work on recipe files: import a BasicSR / Real-ESRGAN or mmedit / mmagic training config.",
        subcommands: [RecipeImportCommand.self])
}

/// `degrade recipe import FILE`: a reference training config turned into a degrade recipe.
struct RecipeImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a BasicSR / Real-ESRGAN option YAML or an mmedit 0.x / mmagic 1.x Python config into a degrade recipe.",
        discussion: """
            .yml/.yaml files are read as BasicSR / Real-ESRGAN options (train_realesrgan_x4plus.yml style: the \
            first- and second-order keys, final_sinc_prob, gt_size, scale); .py files as mmedit / mmagic configs, \
            whose train_pipeline transforms become the recipe. Python configs are never executed: only top-level \
            `NAME = literal` statements are read (dict(...), {...}, lists, tuples, numbers, strings, True/False/None, \
            names bound earlier, np.pi, + - * /); anything else is reported with file:line and not evaluated. \
            _base_ files are followed only inside the config's folder.

            The recipe is written to --out (atomically) or printed, every value commented with its origin. \
            --report prints how every key was treated — exact, different (a documented difference), or not \
            supported — with file:line: to stdout after --out, else to stderr.

              degrade recipe import train_realesrgan_x4plus.yml --out recipes/my-realesrgan.yaml --report
            """)

    @Argument(help: "The config to import (.yml / .yaml: BasicSR options; .py: mmedit / mmagic).") var file: String
    @Option(name: .long, help: "Write the recipe here instead of printing it.") var out: String?
    @Flag(name: .long, help: "Print the import report (every key: exact, different or not supported, with file:line).") var report = false

    func run() throws {
        let result = try RecipeImport.run(file)
        if let out {
            try PathOverlap.check(output: out, inputs: [("FILE", file)])
            try AtomicFile.write(Array(result.recipeText.utf8), to: out)
            if report { print(result.report, terminator: "") } else { Console.note("wrote \(out)") }
        } else {
            print(result.recipeText, terminator: "")
            if report { FileHandle.standardError.write(Data(result.report.utf8)) }
        }
    }
}
