import DegradeMedia
import Dispatch
import Synchronization
import Testing
@testable import DegradeOps

@Suite("Video compression determinism")
struct VideoCompressionDeterminismTests {
    static let availableCodecs = VideoCodec.allCases.filter(VideoCompression.isAvailable)
    let clip = CodecTestPatterns.movingClip(count: 6, width: 64, height: 48)

    @Test(arguments: availableCodecs)
    func twoEncodesGiveIdenticalStreams(codec: VideoCodec) throws {
        let first = try VideoCompression.apply(clip, codec: codec, rate: .bitrate(30_000))
        let second = try VideoCompression.apply(clip, codec: codec, rate: .bitrate(30_000))
        #expect(first.encodedBytes == second.encodedBytes)
        #expect(first.frames == second.frames)
        #expect(first.frames.count == clip.count)
    }

    @Test func concurrentClipsMatchSequentialOnes() throws {
        let clips = [clip, CodecTestPatterns.movingClip(count: 5, width: 48, height: 32)]
        let codecs: [VideoCodec] = [.libx264, .mpeg4]
        let sequential = try zip(clips, codecs).map { try VideoCompression.apply($0, codec: $1, rate: .bitrate(20_000)) }
        let results = Results(count: clips.count)
        DispatchQueue.concurrentPerform(iterations: clips.count) { i in
            results.store(i, Result { try VideoCompression.apply(clips[i], codec: codecs[i], rate: .bitrate(20_000)) })
        }
        for i in clips.indices {
            let concurrent = try results.value(i).get()
            #expect(concurrent.frames == sequential[i].frames)
            #expect(concurrent.encodedBytes == sequential[i].encodedBytes)
        }
    }
}

/// Collects results written from several threads.
private final class Results: Sendable {
    private let slots: Mutex<[Result<VideoCompressionResult, any Error>?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
    func store(_ i: Int, _ result: Result<VideoCompressionResult, any Error>) { slots.withLock { $0[i] = result } }
    func value(_ i: Int) -> Result<VideoCompressionResult, any Error> { slots.withLock { $0[i]! } }
}
