import DegradeEngine
import DegradeRender
import Foundation

// The functions declared in include/degrade.h. Each returns a BridgeStatus code and, on failure, writes a
// NUL-terminated message into (error, errorCapacity); none traps or throws across the boundary.

@_cdecl("degrade_abi_version")
public func degrade_abi_version() -> Int32 { 1 }

@_cdecl("degrade_stream_open")
public func degrade_stream_open(_ options: UnsafePointer<CChar>?, _ handle: UnsafeMutablePointer<Int64>?,
                                _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) {
        guard let options, let handle else { throw BridgeError(.badBuffer, "degrade_stream_open: options and handle must not be NULL") }
        let stream = try BridgeStream(options: try BridgeOptions(json: String(cString: options)))
        handle.pointee = BridgeRegistry.shared.add(stream)
    }
}

@_cdecl("degrade_stream_close")
public func degrade_stream_close(_ handle: Int64, _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) { try BridgeRegistry.shared.closeStream(handle) }
}

@_cdecl("degrade_stream_info")
public func degrade_stream_info(_ handle: Int64, _ samplesPerEpoch: UnsafeMutablePointer<Int64>?, _ clips: UnsafeMutablePointer<Int64>?,
                                _ seed: UnsafeMutablePointer<UInt64>?,
                                _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) {
        let s = try BridgeRegistry.shared.stream(handle)
        samplesPerEpoch?.pointee = Int64(s.sampler.samplesPerEpoch)
        clips?.pointee = Int64(s.sampler.clips.count)
        seed?.pointee = s.sampler.seed
    }
}

/// Copies `text` NUL-terminated into (buffer, capacity); `length` gets its byte length. Too small a buffer is
/// `badBuffer` with `length` set, so the caller can retry with length + 1.
func deliver(_ text: String, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ length: UnsafeMutablePointer<Int>?) throws {
    let bytes = Array(text.utf8)
    length?.pointee = bytes.count
    guard let buffer, capacity > bytes.count else {
        throw BridgeError(.badBuffer, "text buffer holds \(max(0, capacity)) bytes; \(bytes.count + 1) needed")
    }
    for (i, b) in bytes.enumerated() { buffer[i] = CChar(bitPattern: b) }
    buffer[bytes.count] = 0
}

@_cdecl("degrade_stream_plan")
public func degrade_stream_plan(_ handle: Int64, _ epoch: Int64, _ index: Int64, _ kind: Int32,
                                _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ length: UnsafeMutablePointer<Int>?,
                                _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) {
        let s = try BridgeRegistry.shared.stream(handle)
        try s.checkRange(epoch: epoch, index: index)
        switch kind {
        case 0: try deliver(try s.sampler.locate(epoch: Int(epoch), index: Int(index)).key, buffer, capacity, length)
        case 1:
            let plan = try s.sampler.plan(epoch: Int(epoch), index: Int(index))
            try deliver(try plan.map(BridgeSample.encode) ?? "null", buffer, capacity, length)
        default: throw BridgeError(.badBuffer, "kind must be 0 (key) or 1 (plan JSON), got \(kind)")
        }
    }
}

@_cdecl("degrade_sample_make")
public func degrade_sample_make(_ handle: Int64, _ epoch: Int64, _ index: Int64, _ sample: UnsafeMutablePointer<Int64>?,
                                _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) {
        guard let sample else { throw BridgeError(.badBuffer, "degrade_sample_make: sample must not be NULL") }
        let s = try BridgeRegistry.shared.stream(handle)
        try s.checkRange(epoch: epoch, index: index)
        let made = try BridgeSample(try s.sampler.sample(epoch: Int(epoch), index: Int(index)))
        sample.pointee = BridgeRegistry.shared.add(made)
    }
}

@_cdecl("degrade_sample_shape")
public func degrade_sample_shape(_ sample: Int64, _ shape: UnsafeMutablePointer<Int64>?,
                                 _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) {
        guard let shape else { throw BridgeError(.badBuffer, "degrade_sample_shape: shape must point at 7 int64 values") }
        let s = try BridgeRegistry.shared.sample(sample).shape
        let values = [s.frames, s.gtHeight, s.gtWidth, s.lqHeight, s.lqWidth, s.channels, s.hasUnsharp ? 1 : 0]
        for (i, v) in values.enumerated() { shape[i] = Int64(v) }
    }
}

@_cdecl("degrade_sample_copy")
public func degrade_sample_copy(_ sample: Int64, _ which: Int32, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int,
                                _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) {
        guard let buffer else { throw BridgeError(.badBuffer, "degrade_sample_copy: buffer must not be NULL") }
        try BridgeRegistry.shared.sample(sample).write(which, into: buffer, size: size)
    }
}

@_cdecl("degrade_sample_data")
public func degrade_sample_data(_ sample: Int64, _ which: Int32, _ data: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
                                _ size: UnsafeMutablePointer<Int>?,
                                _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) {
        guard let data, let size else { throw BridgeError(.badBuffer, "degrade_sample_data: data and size must not be NULL") }
        let bytes = try BridgeRegistry.shared.sample(sample).ownedBytes(which)
        data.pointee = UnsafePointer(bytes.baseAddress)
        size.pointee = bytes.count
    }
}

@_cdecl("degrade_sample_text")
public func degrade_sample_text(_ sample: Int64, _ kind: Int32,
                                _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ length: UnsafeMutablePointer<Int>?,
                                _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) {
        let s = try BridgeRegistry.shared.sample(sample)
        switch kind {
        case 0: try deliver(s.sample.key, buffer, capacity, length)
        case 1: try deliver(s.planJSON, buffer, capacity, length)
        case 2: try deliver(skippedJSON(s.sample.replaced), buffer, capacity, length)
        default: throw BridgeError(.badBuffer, "kind must be 0 (key), 1 (plan JSON) or 2 (skipped samples JSON), got \(kind)")
        }
    }
}

/// The samples a sample replaced (`skip_bad_samples`), as a JSON array of {epoch, index, key, file, reason}.
private func skippedJSON(_ skipped: [SkippedSample]) throws -> String {
    let rows: [[String: Any]] = skipped.map { ["epoch": $0.epoch, "index": $0.index, "key": $0.key, "file": $0.file, "reason": $0.reason] }
    let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

@_cdecl("degrade_sample_free")
public func degrade_sample_free(_ sample: Int64, _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) { try BridgeRegistry.shared.freeSample(sample) }
}

@_cdecl("degrade_shard")
public func degrade_shard(_ seed: UInt64, _ epoch: Int64, _ count: Int64, _ part: Int64, _ parts: Int64,
                          _ indices: UnsafeMutablePointer<Int64>?, _ capacity: Int, _ written: UnsafeMutablePointer<Int>?,
                          _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    bridged(error, errorCapacity) {
        guard epoch >= 0, count >= 0, count <= Int64(Int32.max) else {
            throw BridgeError(.outOfRange, "shard: epoch must be ≥ 0 and count in 0…\(Int32.max) (got epoch \(epoch), count \(count))")
        }
        let share = try StreamShard.indices(count: Int(count), seed: seed, epoch: Int(epoch), part: Int(part), parts: Int(max(0, min(parts, Int64(Int32.max)))))
        written?.pointee = share.count
        guard let indices, capacity >= share.count else {
            throw BridgeError(.badBuffer, "shard: the index buffer holds \(max(0, capacity)) values; \(share.count) needed")
        }
        for (i, v) in share.enumerated() { indices[i] = Int64(v) }
    }
}
