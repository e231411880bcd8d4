import DegradeEngine
import DegradeMedia
import Synchronization

/// What the samples of one clip share in a render's decoded-frame cache (PNG folders only): when the first of a
/// clip's samples starts, the rows every one of them will read are announced, so each shared frame is decoded once
/// down to the lowest row any of them needs; when the last one is done, the clip's frames are given back.
final class SourceSharing: Sendable {
    private struct State {
        var pending: [String: [SampleSelection.Sample]] = [:]
        var unfinished: [String: Int] = [:]
    }

    private let folders: REDSSource?
    private let maker: SampleMaker
    private let state: Mutex<State>

    init(todo: [SampleSelection.Sample], source: any ClipSource, maker: SampleMaker) {
        let folders = (source as? REDSSource).flatMap { $0.frameCache == nil ? nil : $0 }
        self.folders = folders
        self.maker = maker
        var s = State()
        if folders != nil {
            for sample in todo {
                s.pending[sample.clip.key, default: []].append(sample)
                s.unfinished[sample.clip.key, default: 0] += 1
            }
        }
        state = Mutex(s)
    }

    /// Before `sample` reads its frames.
    func starting(_ sample: SampleSelection.Sample) {
        guard let folders else { return }
        let samples = state.withLock { $0.pending.removeValue(forKey: sample.clip.key) } ?? []
        guard samples.count > 1 else { return }  // a lone sample has no one to share with
        var rows: [Int: Int] = [:]
        for s in samples {
            // A plan that cannot be made is reported by that sample's own render.
            guard let plan = try? maker.plan(clip: s.clip, variant: s.variant) else { continue }
            let last = plan.sourceRegion.map { $0.y + $0.height } ?? s.clip.height
            for t in plan.sourceFrames { rows[t] = max(rows[t] ?? 0, last) }
        }
        folders.expect(clip: sample.clip.key, rows: rows)
    }

    /// After `sample` is done (or failed).
    func finished(_ sample: SampleSelection.Sample) {
        guard let folders else { return }
        let last = state.withLock { s -> Bool in
            s.unfinished[sample.clip.key, default: 1] -= 1
            return s.unfinished[sample.clip.key] == 0
        }
        if last { folders.release(clip: sample.clip.key) }
    }
}
