import ArgumentParser
import DegradeMedia

/// Where clean clips come from; shared by every command that reads clips.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: "Input: a folder of REDS-style clip folders (ROOT/<clip>/<frame>.png), a folder of stills, a video file or a folder of video files (mp4, mkv, mov, webm, avi).")
    var input: String

    @Option(name: .long, help: "How to read --input: auto, reds, stills, pan (each still becomes a clip with a camera pan) or video (each shot of each file is a clip).")
    var source: ClipSourceSpec.Kind = .auto

    @Option(name: .customLong("meta-info"), help: "BasicSR meta_info file selecting REDS clips (`000 100 (720,1280,3)` per line).")
    var metaInfo: String?

    @Option(name: .customLong("pan-frames"), help: "Frames per pan clip.")
    var panFrames: Int = 30

    @Option(name: .customLong("pan-size"), help: "Pan frame size, WIDTHxHEIGHT.")
    var panSize: FrameSize = FrameSize(width: 1280, height: 720)

    @Option(name: .customLong("cut-threshold"), help: "Video: cut score (0…1: the smaller of the luma difference of consecutive frames on a 32×18 grid and the change of their luma histograms) that starts a new shot. (default: 0.1)")
    var cutThreshold: Double?

    @Option(name: .customLong("min-shot"), help: "Video: shots shorter than this many frames are not used as clips. (default: 1)")
    var minimumShot: Int?

    var spec: ClipSourceSpec {
        ClipSourceSpec(kind: source, path: input, metaInfo: metaInfo, panFrames: panFrames,
                       panWidth: panSize.width, panHeight: panSize.height, cutThreshold: cutThreshold, minimumShot: minimumShot)
    }
}

extension ClipSourceSpec.Kind: ExpressibleByArgument {}

/// `WIDTHxHEIGHT`, e.g. `1280x720`.
struct FrameSize: ExpressibleByArgument, Sendable {
    var width: Int
    var height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else { return nil }
        self.init(width: w, height: h)
    }

    var defaultValueDescription: String { "\(width)x\(height)" }
}
