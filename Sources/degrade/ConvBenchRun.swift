import DegradeTensor
import Foundation

/// `degrade bench --conv`: each convolution shape of the `bench --train` shapes timed per method and pass.
extension BenchCommand {
    /// The layers of the fixed (LQ 32) and aligned (LQ 64, SPyNet) training steps, batch 2 × 10 frames; the 256²
    /// layer with 4 images instead of 20 (per image it behaves the same, and 20 take seconds per call).
    static func convolutionLayers(aligned: Bool) -> [ConvolutionBenchmark.Layer] {
        typealias L = ConvolutionBenchmark.Layer
        func l(_ n: Int, _ ci: Int, _ co: Int, _ side: Int, _ k: Int) -> L {
            L(images: n, inChannels: ci, outChannels: co, height: side, width: side, kernel: k)
        }
        if !aligned {
            return [l(20, 3, 32, 32, 3), l(20, 32, 32, 32, 3), l(2, 35, 32, 32, 3), l(2, 32, 32, 32, 3),
                    l(20, 64, 32, 32, 1), l(20, 32, 128, 32, 3), l(20, 32, 128, 64, 3), l(20, 32, 32, 128, 3),
                    l(20, 32, 3, 32, 3), l(20, 32, 3, 128, 3)]
        }
        let spynet = [64, 32, 16, 8, 4, 2].flatMap { side in
            [(8, 32), (32, 64), (64, 32), (32, 16), (16, 2)].map { l(18, $0.0, $0.1, side, 7) }
        }
        return [l(20, 32, 32, 64, 3), l(2, 35, 32, 64, 3), l(2, 32, 32, 64, 3), l(20, 32, 128, 64, 3),
                l(20, 32, 256, 128, 3), l(4, 64, 64, 256, 3), l(20, 64, 3, 256, 3)] + spynet
    }

    func runConvolutions() {
        let cores = threads ?? ProcessInfo.processInfo.activeProcessorCount
        print("OpenBLAS kernels: \(ComputeContext.blasKernel); CPU ms = process CPU time, best of \(repeats)")
        print("layer                            threads  pass          gemm CPU ms  direct CPU ms  narrow CPU ms  gemm GFLOP/s  direct GFLOP/s  direct/gemm")
        let layers = trainShapes.names.flatMap { shape -> [ConvolutionBenchmark.Layer] in
            switch shape {
            case .config: []
            case .fixed: Self.convolutionLayers(aligned: false)
            case .aligned: Self.convolutionLayers(aligned: true)
            }
        }.filter { convFilter.map($0.description.contains) ?? true }
        for t in Set([1, cores]).sorted() {
            ComputeContext(threads: t).run {
                for layer in layers {
                    for pass in ConvolutionBenchmark.Pass.allCases {
                        // Interleaved, so both methods see the same machine load.
                        let g = ConvolutionBenchmark.measure(layer, pass, .gemm, repeats: repeats)
                        let d = ConvolutionBenchmark.measure(layer, pass, .direct, repeats: repeats)
                        let n = ConvolutionBenchmark.measure(layer, pass, .narrow, repeats: repeats)
                        let ms = { (r: (cpu: Double, wall: Double)?) in r.map { String(format: "%.2f", $0.cpu * 1000) } ?? "-" }
                        let rate = { (r: (cpu: Double, wall: Double)?) in
                            r.map { String(format: "%.1f", layer.flop / $0.cpu / 1e9) } ?? "-"
                        }
                        let ratio = g.flatMap { g in d.map { String(format: "%.2f", $0.cpu / g.cpu) } } ?? "-"
                        let line = String(format: "%7d  %-12@ %12@ %14@ %14@ %13@ %15@ %12@", t, pass.rawValue, ms(g),
                                          ms(d), ms(n), rate(g), rate(d), ratio)
                        print(layer.description.padding(toLength: 32, withPad: " ", startingAt: 0) + " " + line)
                    }
                }
            }
        }
    }
}
