import Foundation
import Testing
@testable import DegradeC

/// The C ABI as a C caller sees it: status codes, messages in the caller's buffer, handles that fail cleanly.
@Suite struct CEntryPoints {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let recipe = """
        name: tiny
        frames: 3
        crop: {size: 32}
        pipeline:
          - blur: {kernel_size: [7], kernel_list: [iso], kernel_prob: [1]}
          - resize: {target_scale: 0.25, resize_opt: [area], resize_prob: [1]}
          - quantize
        """

    static func options(_ extra: String = "") -> String {
        let yaml = String(data: try! JSONEncoder().encode(recipe), encoding: .utf8)!
        return #"{"recipe_yaml": \#(yaml), "source": {"input": "\#(root)/datasets/sample", "kind": "pan", "pan_frames": 4, "pan_size": [64, 48]}, "seed": 3\#(extra)}"#
    }

    /// Calls `body` with an error buffer; returns the status and the message.
    static func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) -> (Int32, String) {
        var buffer = [CChar](repeating: 0, count: 512)
        let status = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        return (status, text(buffer))
    }

    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func open(_ json: String) -> (Int32, String, Int64) {
        var handle: Int64 = 0
        let (status, message) = call { degrade_stream_open(json, &handle, $0, $1) }
        return (status, message, handle)
    }

    @Test func aSampleHasShapesKeyAndBytes() throws {
        let (status, message, handle) = Self.open(Self.options())
        try #require(status == 0, "\(message)")
        defer { _ = degrade_stream_close(handle, nil, 0) }
        var sample: Int64 = 0
        #expect(Self.call { degrade_sample_make(handle, 1, 2, &sample, $0, $1) }.0 == 0)
        var shape = [Int64](repeating: -1, count: 7)
        #expect(Self.call { degrade_sample_shape(sample, &shape, $0, $1) }.0 == 0)
        #expect(shape == [3, 32, 32, 8, 8, 3, 0])
        var lq = [UInt8](repeating: 0, count: 3 * 8 * 8 * 3)
        #expect(Self.call { degrade_sample_copy(sample, 1, &lq, lq.count, $0, $1) }.0 == 0)
        var data: UnsafePointer<UInt8>?
        var size = 0
        #expect(Self.call { degrade_sample_data(sample, 1, &data, &size, $0, $1) }.0 == 0)
        #expect(size == lq.count && Array(UnsafeBufferPointer(start: data, count: size)) == lq)
        #expect(lq.contains { $0 != lq[0] }, "the frames hold picture content")
        var key = [CChar](repeating: 0, count: 64)
        var length = 0
        #expect(Self.call { degrade_sample_text(sample, 0, &key, key.count, &length, $0, $1) }.0 == 0)
        #expect(Self.text(key).hasSuffix("@e1"))
        // Too small a buffer says how much is needed.
        var small = [UInt8](repeating: 0, count: 10)
        let (wrong, why) = Self.call { degrade_sample_copy(sample, 1, &small, small.count, $0, $1) }
        #expect(wrong == 5 && why.contains("expected \(lq.count)"))
        let (noUnsharp, unsharpWhy) = Self.call { degrade_sample_copy(sample, 2, &small, small.count, $0, $1) }
        #expect(noUnsharp == 2 && unsharpWhy.contains("unsharp"))
        #expect(degrade_sample_free(sample, nil, 0) == 0)
        #expect(Self.call { degrade_sample_shape(sample, &shape, $0, $1) }.0 == 4)
    }

    @Test func badOptionsNameTheirJSONPath() {
        let (s1, m1, _) = Self.open(#"{"source": {"input": "x"}, "recipe": "/nonexistent/r.yaml"}"#)
        #expect(s1 == 2 && m1.contains("/nonexistent/r.yaml"))
        let (s2, m2, _) = Self.open(Self.options(#", "threads": "two""#))
        #expect(s2 == 2 && m2.contains("options.threads") && m2.contains("integer"))
        let (s3, m3, _) = Self.open(Self.options(#", "sed": 1"#))
        #expect(s3 == 2 && m3.contains("unknown key `sed`"))
        let (s4, m4, _) = Self.open("{not json")
        #expect(s4 == 2 && m4.contains("not valid JSON"))
        let (s5, m5, _) = Self.open(Self.options().replacingOccurrences(of: "frames: 3", with: "frames: [3]"))
        #expect(s5 == 2 && m5.contains("<recipe_yaml>"), "\(m5)")
    }

    @Test func closedHandlesAndOutOfRangeIndicesAreErrorsNotCrashes() throws {
        let (status, message, handle) = Self.open(Self.options(#", "samples_per_epoch": 6"#))
        try #require(status == 0, "\(message)")
        var sample: Int64 = 0
        let (range, rangeWhy) = Self.call { degrade_sample_make(handle, 0, 6, &sample, $0, $1) }
        #expect(range == 3 && rangeWhy.contains("0…5"))
        #expect(Self.call { degrade_sample_make(handle, -1, 0, &sample, $0, $1) }.0 == 3)
        #expect(degrade_stream_close(handle, nil, 0) == 0)
        let (closed, closedWhy) = Self.call { degrade_sample_make(handle, 0, 0, &sample, $0, $1) }
        #expect(closed == 4 && closedWhy.contains("not open"))
        #expect(degrade_stream_close(handle, nil, 0) == 4)
    }

    @Test func shardsComeBackThroughTheABI() {
        var got: [Int64] = []
        for part in 0..<3 {
            var buffer = [Int64](repeating: -1, count: 4)
            var written = 0
            #expect(Self.call { degrade_shard(7, 2, 10, Int64(part), 3, &buffer, buffer.count, &written, $0, $1) }.0 == 0)
            got += buffer.prefix(written)
        }
        #expect(got.sorted() == Array(0..<10))
        var written = 0
        #expect(Self.call { degrade_shard(7, 2, 10, 3, 3, nil, 0, &written, $0, $1) }.0 == 2)
    }
}
