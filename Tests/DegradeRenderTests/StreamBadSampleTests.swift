import DegradeEngine
import DegradeMedia
import Foundation
import Testing
@testable import DegradeRender

/// The training stream over a video with corrupt packets in the middle: without `skipBadSamples` a window over the
/// damage ends the stream with the file and frame; with it, that sample is replaced by the next one of the stream,
/// reported in `replaced`, and the stream stays a pure function of (seed, epoch, index).
@Suite struct StreamBadSamples {
    static let samples = 12

    static func origin(_ dir: String) throws -> StreamOrigin {
        let video = try VideoRenderFixtures.damaged(in: dir)
        let source = try VideoSource(path: video, cacheFolder: "\(dir)/cache")
        return .render(SampleMaker(recipe: try RenderFixtures.recipe(RenderFixtures.recipeYAML(frames: 6)), seed: 3, source: source))
    }

    @Test func withoutSkippingTheStreamStopsNamingFileAndFrame() throws {
        let dir = try RenderFixtures.tempDir("stream-bad")
        let stream = try DegradationStream(origin: try Self.origin(dir), seed: 3, workers: 2, samplesPerEpoch: Self.samples)
        defer { stream.cancel() }
        var failure: StreamError?
        for _ in 0..<Self.samples {
            do { _ = try stream.next() } catch let e as StreamError { failure = e; break }
        }
        let e = try #require(failure, "some of \(Self.samples) windows should cross the damaged frames")
        let media = try #require(e.underlying as? MediaError, "\(e)")
        #expect(media.path.hasSuffix("damaged.mp4"))
        #expect(media.reason.contains("frame ") && media.reason.contains("damaged"), "\(media.reason)")
    }

    @Test func skippedSamplesAreReplacedByTheNextSampleWhateverTheWorkerCount() throws {
        let dir = try RenderFixtures.tempDir("stream-skip")
        let origin = try Self.origin(dir)
        let sampler = try StreamSampler(origin: origin, seed: 3, clips: try StreamSampler.clips(of: origin), samplesPerEpoch: Self.samples,
                                        skipBadSamples: true)
        let direct = try (0..<Self.samples).map { try sampler.sample(epoch: 0, index: $0) }
        #expect(direct.contains { !$0.replaced.isEmpty }, "some windows should cross the damaged frames")
        #expect(direct.contains { $0.replaced.isEmpty })
        for s in direct where !s.replaced.isEmpty {
            // Failures are the positions s.index, s.index + 1, …; the sample is the one right after them.
            #expect(s.replaced.map(\.index) == s.replaced.indices.map { s.index + $0 })
            #expect(s.replaced.allSatisfy { $0.file.hasSuffix("damaged.mp4") && $0.reason.contains("frame ") })
            let position = s.index + s.replaced.count
            let expected = try sampler.locate(epoch: position / Self.samples, index: position % Self.samples).key
            #expect(s.key == expected)
        }
        let stream = try DegradationStream(origin: origin, seed: 3, workers: 3, samplesPerEpoch: Self.samples, skipBadSamples: true)
        defer { stream.cancel() }
        for want in direct {
            let got = try #require(try stream.next())
            #expect(got.key == want.key && got.index == want.index && got.replaced == want.replaced)
            #expect(got.lq == want.lq)
        }
    }
}
