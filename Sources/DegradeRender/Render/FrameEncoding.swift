import DegradeEngine
import DegradeMedia
import Foundation
import Synchronization

/// PNG bytes for one sample's frames of one kind. A frame whose pixels equal an earlier one's (the second half of
/// a mirrored clip's GT and sharpened GT) reuses that frame's bytes instead of being compressed again; with
/// several threads the distinct frames are compressed in parallel. The bytes are the same either way.
enum FrameEncoding {
    /// A frame's PNG file and the checksum the catalog records for it (computed once for repeated frames too).
    struct File: Sendable {
        var bytes: [UInt8]
        var checksum: String

        init(bytes: [UInt8]) {
            self.bytes = bytes
            checksum = StableHash.checksum(bytes)
        }
    }

    static func encode(_ images: [Image], plan: DegradationPlan, compression: PNGCompression, threads: Int,
                       path: (Int) -> String) throws -> [File] {
        let copies = repeatedFrames(images, plan: plan)
        let distinct = images.indices.filter { copies[$0] == nil }
        var encoded = [File?](repeating: nil, count: images.count)
        if threads <= 1 || distinct.count < 2 {
            for t in distinct { encoded[t] = File(bytes: try ImageFile.encodePNG(images[t], path: path(t), compression: compression)) }
        } else {
            let results = Mutex([Int: File]())
            let failure = Mutex<Error?>(nil)
            let paths = distinct.map(path)
            DispatchQueue.concurrentPerform(iterations: min(threads, distinct.count)) { worker in
                for k in stride(from: worker, to: distinct.count, by: min(threads, distinct.count)) {
                    do {
                        let file = File(bytes: try ImageFile.encodePNG(images[distinct[k]], path: paths[k], compression: compression))
                        results.withLock { $0[distinct[k]] = file }
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                        return
                    }
                }
            }
            if let error = failure.withLock({ $0 }) { throw error }
            results.withLock { for (t, file) in $0 { encoded[t] = file } }
        }
        for (t, u) in copies.enumerated() { if let u { encoded[t] = encoded[u] } }
        return try encoded.enumerated().map { t, file in
            guard let file else { throw WriteError(path(t), "internal error: frame \(t) was not encoded") }
            return file
        }
    }

    /// For each frame, an earlier frame made from the same source frame (by the plan's frame order, mirror
    /// included) whose pixels are equal — checked, so a recipe that varies such frames is never short-changed.
    static func repeatedFrames(_ images: [Image], plan: DegradationPlan) -> [Int?] {
        let order = plan.sourceFrames + (plan.mirror ? plan.sourceFrames.reversed() : [])
        guard order.count == images.count else { return images.map { _ in nil } }
        var first: [Int: Int] = [:]
        var out = [Int?](repeating: nil, count: images.count)
        for (t, source) in order.enumerated() {
            if let u = first[source] {
                let a = images[u], b = images[t]
                if a.width == b.width && a.height == b.height && a.channels == b.channels && a.pixels == b.pixels { out[t] = u }
            } else {
                first[source] = t
            }
        }
        return out
    }
}
