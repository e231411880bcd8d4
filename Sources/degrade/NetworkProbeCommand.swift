import ArgumentParser
import DegradeEngine
import DegradeTensor
import DegradeTrain
import Foundation

/// One forward and backward pass of a generator on tensors from a file, for the PyTorch equivalence test
/// (`python/tests/test_realbasicvsr_equivalence.py`). Hidden: a test hook, not a user command.
struct NetworkProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network-probe",
        abstract: "Run one generator forward/backward pass on tensors from a file (test hook).",
        discussion: """
            WEIGHTS is a generator weights file (`degrade train` checkpoint or `tools/convert-weights` output). \
            --input holds `lq` [N, T, 3, h, w] and `grad_output` [N, T, 3, 4h, 4w]; --out receives `output`, \
            `cleaned` and `grad.<parameter name>` for every trainable tensor: the gradients of Σ output ⊙ grad_output.
            """,
        shouldDisplay: false)

    @Argument(help: "Generator weights (.safetensors).") var weights: String
    @Option(name: .long, help: "Input tensors (.safetensors).") var input: String
    @Option(name: .long, help: "Output tensors (.safetensors).") var out: String
    @Option(name: .long, help: "Threads.") var threads: Int = 1

    func run() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be within 1…256") }
        let net = try RealBasicVSRNet.load(checkpoint: weights)
        let file = try SafeTensors.read(input)
        guard let lq = file.tensors["lq"], lq.shape.count == 5, lq.shape[2] == 3, let seed = file.tensors["grad_output"],
              seed.shape == [lq.shape[0], lq.shape[1], 3, 4 * lq.shape[3], 4 * lq.shape[4]] else {
            throw InputError("\(input): needs `lq` [N, T, 3, h, w] and `grad_output` [N, T, 3, 4h, 4w]")
        }
        if let problem = net.sizeProblem(height: lq.shape[3], width: lq.shape[4]) { throw InputError("\(input): \(problem)") }
        var result = SafeTensors()
        try ComputeContext(threads: threads).run {
            let (output, cleaned) = net.forward(Tensor(shape: lq.shape, scalars: lq.values))
            let gradients = output.backward(seed: Tensor(shape: seed.shape, scalars: seed.values))
            result.tensors["output"] = .init(shape: output.shape, values: output.scalars)
            result.tensors["cleaned"] = .init(shape: cleaned.shape, values: cleaned.scalars)
            for p in net.parameters {
                guard let g = gradients[p] else { continue }
                result.tensors["grad.\(p.name)"] = .init(shape: p.shape, values: g.scalars)
            }
            try result.write(to: out)
        }
    }
}
