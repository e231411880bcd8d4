import ArgumentParser
import DegradeEngine

/// Seed and threads, shared by the commands that render.
struct RenderOptions: ParsableArguments {
    @Option(name: .long, help: "Run seed: with the recipe and the clip key it fixes every random decision.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Worker threads for per-frame work (the output is the same for any value).")
    var threads: Int = 1

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be within 1…256") }
    }
}
