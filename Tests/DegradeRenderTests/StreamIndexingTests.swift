import DegradeEngine
import DegradeMedia
import Testing
@testable import DegradeRender

/// The stream's pure indexing rules: keys, epochs longer than the clip list, and the worker/rank split.
@Suite struct StreamIndexing {
    @Test func streamKeysNameTheirClipEvenWhenClipKeysContainAt() {
        let clips: Set<String> = ["life@pan", "000"]
        #expect(StreamKey.clip(of: StreamKey.make(clip: "life@pan", epoch: 3), among: clips) == "life@pan")
        #expect(StreamKey.clip(of: StreamKey.make(clip: "000", epoch: 0, pass: 2), among: clips) == "000")
        #expect(StreamKey.clip(of: "life@pan", among: clips) == nil)
        #expect(StreamKey.clip(of: "000@e", among: clips) == nil)
        #expect(StreamKey.clip(of: "000@e1.x", among: clips) == nil)
        #expect(StreamKey.clip(of: "001@e1", among: clips) == nil)
    }

    @Test func sharesAreDisjointAndCoverTheEpoch() throws {
        for (count, parts) in [(10, 3), (7, 7), (5, 8), (0, 2), (1000, 6)] {
            let shares = try (0..<parts).map { try StreamShard.indices(count: count, seed: 9, epoch: 4, part: $0, parts: parts) }
            let all = shares.flatMap { $0 }
            #expect(all.count == count)
            #expect(Set(all) == Set(0..<count))
            #expect((shares.map(\.count).max() ?? 0) - (shares.map(\.count).min() ?? 0) <= 1)
        }
        let a = try StreamShard.indices(count: 50, seed: 9, epoch: 0, part: 0, parts: 1)
        let b = try StreamShard.indices(count: 50, seed: 9, epoch: 1, part: 0, parts: 1)
        #expect(a != b, "each epoch has its own order")
        #expect(throws: InputError.self) { try StreamShard.indices(count: 5, seed: 0, epoch: 0, part: 2, parts: 2) }
        #expect(throws: InputError.self) { try StreamShard.indices(count: 5, seed: 0, epoch: 0, part: 0, parts: 0) }
    }

    @Test func longEpochsGiveEveryIndexItsOwnKey() throws {
        let source = ProbeSource(clips: 3)
        let maker = SampleMaker(recipe: try RenderFixtures.recipe(), seed: 5, source: source)
        let origin = StreamOrigin.render(maker)
        let sampler = try StreamSampler(origin: origin, seed: 5, clips: try source.clips(), samplesPerEpoch: 8)
        let keys = try (0..<8).map { try sampler.locate(epoch: 2, index: $0).key }
        #expect(Set(keys).count == 8)
        #expect(keys.prefix(3).allSatisfy { $0.hasSuffix("@e2") })
        #expect(keys[3...].allSatisfy { $0.contains("@e2.") })
        // The default epoch (one sample per clip) keeps the keys the stream has always used.
        let plain = try StreamSampler(origin: origin, seed: 5, clips: try source.clips())
        #expect(try (0..<3).map { try plain.locate(epoch: 2, index: $0).key } == Array(keys.prefix(3)))
        #expect(throws: InputError.self) { try sampler.locate(epoch: 0, index: 8) }
        #expect(throws: InputError.self) { try StreamSampler(origin: origin, seed: 5, clips: try source.clips(), samplesPerEpoch: 0) }
    }
}
