import DegradeEngine
import DegradeMedia
import Foundation
import Synchronization
import Testing
@testable import DegradeRender

/// Clips held in memory, counting how many sample loads were started; `open` false makes loads wait, so
/// tests can hold workers inside production.
final class ProbeSource: ClipSource {
    let clipsByKey: [String: [Image]]
    let loads = Atomic<Int>(0)
    let open = Atomic<Bool>(true)
    let failing: String?

    init(clips count: Int, failing: String? = nil) {
        var c: [String: [Image]] = [:]
        for k in 0..<count { c[String(format: "c%02d", k)] = (0..<6).map { RenderFixtures.still(10 * k + $0, width: 40, height: 36) } }
        clipsByKey = c
        self.failing = failing
    }

    var summary: String { "probe" }

    func clips() throws -> [ClipInfo] {
        clipsByKey.keys.sorted().map { ClipInfo(key: $0, frameCount: 6, width: 40, height: 36, origin: "memory") }
    }

    func frames(of key: String, range: Range<Int>?) throws -> [Image] {
        loads.add(1, ordering: .relaxed)
        while !open.load(ordering: .relaxed) { usleep(1000) }
        if key == failing { throw MediaError(key, "probe failure") }
        let f = clipsByKey[key]!
        return Array(f[range ?? 0..<f.count])
    }
}

final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}

@Suite struct DegradationStreamBehaviour {
    static let seed: UInt64 = 21

    static func maker(_ source: any ClipSource) throws -> SampleMaker {
        SampleMaker(recipe: try RenderFixtures.recipe(), seed: seed, source: source, executor: Executor(threads: 1))
    }

    static func take(_ stream: DegradationStream, _ n: Int) throws -> [StreamSample] {
        var out: [StreamSample] = []
        for _ in 0..<n { out.append(try #require(try stream.next())) }
        return out
    }

    /// Waits (bounded) until `condition` holds; false if it never did.
    static func eventually(_ seconds: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(1000)
        }
        return condition()
    }

    static func same(_ a: [StreamSample], _ b: [StreamSample]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.epoch == y.epoch && x.index == y.index && x.key == y.key && x.lq == y.lq && x.gt == y.gt && x.gtUnsharp == y.gtUnsharp
        }
    }

    static let clipCount = 5
    /// The first two epochs with one worker and a window of one: the reference sequence.
    static let reference: [StreamSample]? = {
        guard let stream = try? DegradationStream(origin: .render(maker(ProbeSource(clips: clipCount))), seed: seed, workers: 1, prefetch: 1)
        else { return nil }
        defer { stream.cancel() }
        return try? take(stream, 2 * clipCount)
    }()

    static func referenceSamples() throws -> [StreamSample] { try #require(reference, "the reference stream failed") }

    @Test func samplesComeBackInIndexOrderAsEpochPermutations() throws {
        let samples = try Self.referenceSamples()
        #expect(samples.map { $0.epoch * Self.clipCount + $0.index } == Array(0..<(2 * Self.clipCount)))
        let all = try ProbeSource(clips: Self.clipCount).clips().map(\.key)
        var orders: [[String]] = []
        for e in 0..<2 {
            let epoch = samples.filter { $0.epoch == e }
            #expect(epoch.allSatisfy { $0.key.hasSuffix("@e\(e)") })
            let clips = epoch.map { String($0.key.dropLast("@e\(e)".count)) }
            #expect(clips.sorted() == all, "epoch \(e) is not a permutation of the clips: \(clips)")
            orders.append(clips)
        }
        #expect(orders[0] != orders[1])
        // Samples are real degradations of 32×32 crops, downscaled ×2.
        #expect(samples.allSatisfy { $0.gt.count == 4 && $0.lq.count == 4 && $0.lq[0].width == 16 && $0.gt[0].width == 32 })
    }

    @Test(arguments: [(4, 4), (1, 6), (4, 1), (3, 6)])
    func workersAndPrefetchDoNotChangeTheSequence(workers: Int, prefetch: Int) throws {
        let stream = try DegradationStream(origin: .render(Self.maker(ProbeSource(clips: Self.clipCount))), seed: Self.seed,
                                           workers: workers, prefetch: prefetch)
        defer { stream.cancel() }
        #expect(Self.same(try Self.take(stream, 2 * Self.clipCount), try Self.referenceSamples()))
    }

    @Test func startingAtPositionKContinuesTheSameSequence() throws {
        let k = 7
        let stream = try DegradationStream(origin: .render(Self.maker(ProbeSource(clips: Self.clipCount))), seed: Self.seed,
                                           workers: 2, prefetch: 2, start: k)
        defer { stream.cancel() }
        #expect(Self.same(try Self.take(stream, 2 * Self.clipCount - k), Array(try Self.referenceSamples()[k...])))
        #expect(try stream.produce(3).key == Self.referenceSamples()[3].key)
    }

    @Test func anotherSeedGivesAnotherSequence() throws {
        let stream = try DegradationStream(origin: .render(Self.maker(ProbeSource(clips: Self.clipCount))), seed: Self.seed + 1,
                                           workers: 2, prefetch: 2)
        defer { stream.cancel() }
        #expect(!Self.same(try Self.take(stream, Self.clipCount), Array(try Self.referenceSamples().prefix(Self.clipCount))))
    }

    /// With prefetch P, at most P samples are started beyond those consumed, however many workers wait.
    @Test func atMostPrefetchSamplesAreProducedAhead() throws {
        let probe = ProbeSource(clips: Self.clipCount)
        let prefetch = 3
        let stream = try DegradationStream(origin: .render(Self.maker(probe)), seed: Self.seed, workers: 4, prefetch: prefetch)
        defer { stream.cancel() }
        for consumed in [0, 2, 6] {
            if consumed > 0 { _ = try Self.take(stream, consumed - stream.core.state.withLock { $0.nextToYield }) }
            // The window fills…
            #expect(Self.eventually { probe.loads.load(ordering: .relaxed) == consumed + prefetch })
            #expect(Self.eventually { stream.core.state.withLock { $0.ready.count } == prefetch })
            // …and stays full: the workers are blocked, not producing further ahead.
            usleep(100_000)
            let loads = probe.loads.load(ordering: .relaxed)
            #expect(loads == consumed + prefetch)
            let s = stream.core.state.withLock { ($0.nextToClaim, $0.nextToYield, $0.ready.count) }
            #expect(s.0 - s.1 <= prefetch && s.2 <= prefetch)
        }
    }

    /// `cancel()` with every worker blocked on the full window: all of them return, and `next()` says nil.
    @Test func cancelStopsWorkersBlockedOnAFullWindow() throws {
        let probe = ProbeSource(clips: Self.clipCount)
        let stream = try DegradationStream(origin: .render(Self.maker(probe)), seed: Self.seed, workers: 4, prefetch: 2)
        #expect(Self.eventually { stream.core.state.withLock { $0.ready.count } == 2 })
        let running = stream.core.runningWorkers.load(ordering: .relaxed)
        #expect(running == 4)
        stream.cancel()
        #expect(Self.eventually(10) { stream.core.runningWorkers.load(ordering: .relaxed) == 0 }, "workers still running after cancel()")
        #expect(try stream.next() == nil)
        #expect(stream.core.state.withLock { $0.ready.isEmpty })
    }

    /// A consumer blocked in `next()` (its sample is stuck in production) is woken by `cancel()`.
    @Test func cancelWakesABlockedConsumer() throws {
        let probe = ProbeSource(clips: Self.clipCount)
        probe.open.store(false, ordering: .relaxed)
        defer { probe.open.store(true, ordering: .relaxed) }
        let stream = try DegradationStream(origin: .render(Self.maker(probe)), seed: Self.seed, workers: 2, prefetch: 2)
        let returned = DispatchSemaphore(value: 0)
        let gotNil = Flag()
        Thread {
            do { gotNil.value.store(try stream.next() == nil, ordering: .relaxed) } catch {}
            returned.signal()
        }.start()
        #expect(Self.eventually { probe.loads.load(ordering: .relaxed) == 2 })
        stream.cancel()
        #expect(returned.wait(timeout: .now() + 10) == .success, "next() still blocked after cancel()")
        let sawNil = gotNil.value.load(ordering: .relaxed)
        #expect(sawNil)
        probe.open.store(true, ordering: .relaxed)
        #expect(Self.eventually(10) { stream.core.runningWorkers.load(ordering: .relaxed) == 0 })
    }

    /// Dropping the last reference without `cancel()` stops the workers too (they must not keep the stream alive).
    @Test func releasingTheStreamStopsItsWorkers() throws {
        let probe = ProbeSource(clips: Self.clipCount)
        weak var weakStream: DegradationStream?
        var core: StreamCore?
        do {
            let stream = try DegradationStream(origin: .render(Self.maker(probe)), seed: Self.seed, workers: 3, prefetch: 2)
            weakStream = stream
            core = stream.core
            _ = try stream.next()
        }
        #expect(Self.eventually(10) { weakStream == nil }, "the stream was not released: its workers hold it")
        #expect(Self.eventually(10) { core?.runningWorkers.load(ordering: .relaxed) == 0 }, "workers outlive the stream")
    }

    /// A sample that fails is reported at its position; the samples after it still come.
    @Test func aFailingSampleIsReportedInPlace() throws {
        let order = StreamOrder.permutation(count: Self.clipCount, seed: Self.seed, epoch: 0)
        let failing = String(format: "c%02d", order[1])
        let stream = try DegradationStream(origin: .render(Self.maker(ProbeSource(clips: Self.clipCount, failing: failing))),
                                           seed: Self.seed, workers: 2, prefetch: 3)
        defer { stream.cancel() }
        let reference = try Self.referenceSamples()
        #expect(Self.same([try #require(try stream.next())], [reference[0]]))
        #expect {
            _ = try stream.next()
        } throws: { error in
            guard let e = error as? StreamError else { return false }
            return e.position == 1 && "\(e.underlying)".contains("probe failure")
        }
        #expect(Self.same(try Self.take(stream, 3), Array(reference[2..<5])))
    }
}

/// Streaming from a rendered set yields the rendered frames.
@Suite struct RenderedSetStream {
    @Test func streamFromARenderedSetYieldsItsFrames() throws {
        let ref = try ReferenceRenders.clean(stills: 7, seed: 5)
        let set = try RenderedSet(root: ref.out)
        #expect(set.keys.count == 7)
        let stream = try DegradationStream(origin: .renderedSet(set), seed: 3, workers: 2, prefetch: 3)
        defer { stream.cancel() }
        let catalog = try RenderCatalog(path: "\(ref.out)/\(RenderCatalog.fileName)", readOnly: true)
        let rows = Dictionary(uniqueKeysWithValues: try catalog.clipRows().map { ($0.key, $0) })
        var orders: [[String]] = []
        for e in 0..<2 {
            var keys: [String] = []
            for i in 0..<7 {
                let s = try #require(try stream.next())
                #expect(s.epoch == e && s.index == i)
                keys.append(s.key)
                let row = try #require(rows[s.key])
                func files(_ kind: String) throws -> [Image] {
                    try (0..<4).map { try ImageFile.read(String(format: "\(ref.out)/\(kind)/\(s.key)/%08d.png", $0)).image }
                }
                #expect(s.lq == (try files("lq")))
                #expect(s.gt == (try files("gt")))
                #expect(s.gtUnsharp == (try files("gt_unsharp")))
                #expect(s.lq.count == 4 && s.lq[0].width == 16)
                let plan = try #require(s.plan)
                #expect(plan.key == s.key)
                #expect(try JSONDecoder().decode(DegradationPlan.self, from: Data(row.plan.utf8)).key == s.key)
            }
            #expect(keys.sorted() == set.keys)
            orders.append(keys)
        }
        #expect(orders[0] != orders[1])
    }
}
