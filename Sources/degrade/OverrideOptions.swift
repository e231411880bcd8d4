import ArgumentParser
import DegradeEngine

/// `--set KEY.PATH=VALUE`, repeatable: overrides applied to the recipe (or train config) before it is validated.
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a value of the recipe or config: KEY.PATH=VALUE, repeatable, applied in order before validation (e.g. --set pipeline.0.blur.sigma_x=[0.2,2] --set crop.size=128). Keys and list indices separated by dots; the value is YAML. Recorded in the outputs (the effective recipe text).",
        valueName: "KEY.PATH=VALUE"))
    var set: [String] = []

    /// Parsed overrides; a malformed one is an error naming its `--set` position (exit 2).
    func overrides() throws -> [ConfigOverride] { try ConfigOverride.parse(set) }
}
