import DegradeEngine
import DegradeMedia
import DegradeRender
import Foundation
import Synchronization

/// An open stream: random access to sample (epoch, index), no threads of its own (the caller's threads or
/// processes are the workers).
final class BridgeStream: Sendable {
    let sampler: StreamSampler
    init(options: BridgeOptions) throws {
        let maker = SampleMaker(recipe: options.recipe, seed: options.seed, source: try options.source.open(),
                                executor: Executor(threads: options.threads))
        let origin = StreamOrigin.render(maker)
        sampler = try StreamSampler(origin: origin, seed: options.seed, clips: try StreamSampler.clips(of: origin),
                                    samplesPerEpoch: options.samplesPerEpoch, skipBadSamples: options.skipBadSamples)
    }

    func checkRange(epoch: Int64, index: Int64) throws {
        guard epoch >= 0 else { throw BridgeError(.outOfRange, "epoch \(epoch) is out of range: epochs start at 0") }
        guard index >= 0, index < Int64(sampler.samplesPerEpoch) else {
            throw BridgeError(.outOfRange, "index \(index) is out of range: an epoch has \(sampler.samplesPerEpoch) samples (0…\(sampler.samplesPerEpoch - 1))")
        }
    }
}

/// A produced sample held for the caller: its frames, and (made on first request) the uint8 copies handed
/// out as library-owned buffers, freed with the sample.
final class BridgeSample: @unchecked Sendable {
    let sample: StreamSample
    let planJSON: String
    let shape: Shape
    /// Library-owned interleaved bytes per plane kind, created lazily; guarded by `lock`.
    private var owned: [Int32: UnsafeMutableBufferPointer<UInt8>] = [:]
    private let lock = NSLock()

    struct Shape {
        var frames: Int, gtHeight: Int, gtWidth: Int, lqHeight: Int, lqWidth: Int, channels: Int, hasUnsharp: Bool
    }

    init(_ sample: StreamSample) throws {
        self.sample = sample
        planJSON = try sample.plan.map(Self.encode) ?? "null"
        func uniform(_ frames: [Image], _ what: String) throws -> Image {
            guard let first = frames.first else { throw BridgeError(.runtimeFailure, "sample \(sample.key): no \(what) frames") }
            if let odd = frames.firstIndex(where: { $0.width != first.width || $0.height != first.height || $0.channels != first.channels }) {
                throw BridgeError(.badInput, "sample \(sample.key): \(what) frames differ in size (frame 0 is \(first.width)×\(first.height), frame \(odd) is \(frames[odd].width)×\(frames[odd].height)); stacking them needs one size — end the recipe with a fixed-size resize or a video step")
            }
            return first
        }
        let gt = try uniform(sample.gt, "GT"), lq = try uniform(sample.lq, "LQ")
        if let u = sample.gtUnsharp { _ = try uniform(u, "GT-unsharp") }
        guard gt.channels == lq.channels else { throw BridgeError(.runtimeFailure, "sample \(sample.key): GT has \(gt.channels) channels, LQ \(lq.channels)") }
        shape = Shape(frames: sample.gt.count, gtHeight: gt.height, gtWidth: gt.width, lqHeight: lq.height, lqWidth: lq.width,
                      channels: gt.channels, hasUnsharp: sample.gtUnsharp != nil)
        guard sample.lq.count == shape.frames else { throw BridgeError(.runtimeFailure, "sample \(sample.key): \(shape.frames) GT frames but \(sample.lq.count) LQ frames") }
    }

    /// A plan as `degrade apply` writes plan.json (pretty, sorted keys), so the two can be compared as text.
    static func encode(_ plan: DegradationPlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }

    deinit { for buffer in owned.values { buffer.deallocate() } }

    /// 0 GT, 1 LQ, 2 GT-unsharp.
    func frames(_ which: Int32) throws -> [Image] {
        switch which {
        case 0: return sample.gt
        case 1: return sample.lq
        case 2:
            guard let u = sample.gtUnsharp else { throw BridgeError(.badInput, "sample \(sample.key) has no GT-unsharp: the recipe has no `unsharp` step") }
            return u
        default: throw BridgeError(.badBuffer, "which must be 0 (GT), 1 (LQ) or 2 (GT-unsharp), got \(which)")
        }
    }

    func byteCount(_ which: Int32) throws -> Int {
        let f = try frames(which)
        return f.count * f[0].width * f[0].height * f[0].channels
    }

    /// Frames as T×H×W×C uint8 (the same quantisation as the PNGs `apply` writes), straight into `dst`.
    func write(_ which: Int32, into dst: UnsafeMutablePointer<UInt8>, size: Int) throws {
        let f = try frames(which)
        let needed = try byteCount(which)
        guard size == needed else {
            throw BridgeError(.badBuffer, "buffer for \(["GT", "LQ", "GT-unsharp"][Int(which)]) of sample \(sample.key) has \(size) bytes; expected \(needed) (\(f.count)×\(f[0].height)×\(f[0].width)×\(f[0].channels))")
        }
        var offset = 0
        for image in f {
            let n = image.width * image.height * image.channels
            if image.channels == 3 {
                image.pixels.withUnsafeBufferPointer { src in
                    if let base = src.baseAddress { Image.interleave3(base, plane: image.planeSize, into: dst + offset, count: image.planeSize) }
                }
            } else {
                let bytes = image.interleaved8()
                bytes.withUnsafeBufferPointer { b in if let base = b.baseAddress { (dst + offset).update(from: base, count: n) } }
            }
            offset += n
        }
    }

    func ownedBytes(_ which: Int32) throws -> UnsafeMutableBufferPointer<UInt8> {
        lock.lock()
        defer { lock.unlock() }
        if let b = owned[which] { return b }
        let n = try byteCount(which)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, n))
        do {
            if let base = buffer.baseAddress { try write(which, into: base, size: n) }
        } catch {
            buffer.deallocate()
            throw error
        }
        owned[which] = buffer
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
    }
}

/// Integer handles instead of pointers, so a closed or never-opened handle is an error message, not a crash.
final class BridgeRegistry: Sendable {
    static let shared = BridgeRegistry()
    struct Tables {
        var next: Int64 = 1
        var streams: [Int64: BridgeStream] = [:]
        var samples: [Int64: BridgeSample] = [:]
    }
    let tables = Mutex(Tables())

    func add(_ stream: BridgeStream) -> Int64 {
        tables.withLock { t in defer { t.next += 1 }; t.streams[t.next] = stream; return t.next }
    }
    func add(_ sample: BridgeSample) -> Int64 {
        tables.withLock { t in defer { t.next += 1 }; t.samples[t.next] = sample; return t.next }
    }
    func stream(_ h: Int64) throws -> BridgeStream {
        guard let s = tables.withLock({ $0.streams[h] }) else { throw BridgeError(.badHandle, "stream handle \(h) is not open (closed, or never opened)") }
        return s
    }
    func sample(_ h: Int64) throws -> BridgeSample {
        guard let s = tables.withLock({ $0.samples[h] }) else { throw BridgeError(.badHandle, "sample handle \(h) is not live (freed, or never made)") }
        return s
    }
    func closeStream(_ h: Int64) throws {
        guard tables.withLock({ $0.streams.removeValue(forKey: h) }) != nil else { throw BridgeError(.badHandle, "stream handle \(h) is not open (already closed, or never opened)") }
    }
    func freeSample(_ h: Int64) throws {
        guard tables.withLock({ $0.samples.removeValue(forKey: h) }) != nil else { throw BridgeError(.badHandle, "sample handle \(h) is not live (already freed, or never made)") }
    }
}
