import DegradeMedia
import Foundation

/// The safetensors format (as read by the `safetensors` Python package and PyTorch users):
/// an 8-byte little-endian header length N, N bytes of JSON
/// `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}`
/// padded with spaces to a multiple of 8, then the tensors' little-endian bytes, back to back, offsets
/// relative to the end of the header. Only F32 is written; F32 is read (F16/BF16/F64 are refused by name).
public struct SafeTensors: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var shape: [Int]
        public var values: [Float]

        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }
    }

    public var tensors: [String: Entry]
    public var metadata: [String: String]

    public init(tensors: [String: Entry] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Serialises with tensors in name order (so equal contents give equal bytes).
    public func encoded() throws -> [UInt8] {
        var header: [String: Any] = [:]
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let e = tensors[name]!
            guard e.shape.reduce(1, *) == e.values.count else {
                throw SafeTensorsError(path: "", message: "tensor \(name): shape \(e.shape) does not hold \(e.values.count) values")
            }
            header[name] = ["dtype": "F32", "shape": e.shape, "data_offsets": [offset, offset + 4 * e.values.count]] as [String: Any]
            offset += 4 * e.values.count
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }
        var out = [UInt8]()
        out.reserveCapacity(8 + json.count + offset)
        var n = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &n) { out += $0 }
        out += json
        for name in names {
            tensors[name]!.values.withUnsafeBytes { raw in
                // Float's in-memory layout is little-endian IEEE 754 on every platform Swift runs on here.
                out += raw
            }
        }
        return out
    }

    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    public static func read(_ path: String) throws -> SafeTensors {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SafeTensorsError(path: path, message: "cannot read: \(error.localizedDescription)")
        }
        return try decode(Array(data), path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> SafeTensors {
        func fail(_ m: String) -> SafeTensorsError { SafeTensorsError(path: path, message: m) }
        guard bytes.count >= 8 else { throw fail("truncated: \(bytes.count) bytes, a safetensors file starts with an 8-byte header length") }
        let n = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(bytes.count - 8), n < 100 << 20 else { throw fail("truncated or corrupt: header length \(n) exceeds the file (\(bytes.count) bytes)") }
        let headerEnd = 8 + Int(n)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])), let header = object as? [String: Any] else {
            throw fail("corrupt: the header is not a JSON object")
        }
        var result = SafeTensors()
        if let meta = header["__metadata__"] as? [String: String] { result.metadata = meta }
        let dataCount = bytes.count - headerEnd
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2 else {
                throw fail("tensor \(name): malformed header entry")
            }
            guard dtype == "F32" else { throw fail("tensor \(name): dtype \(dtype) is not supported (expected F32)") }
            let count = shape.reduce(1, *)
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] == offsets[0] + 4 * count, offsets[1] <= dataCount else {
                throw fail("tensor \(name): data_offsets \(offsets) do not fit shape \(shape) in \(dataCount) data bytes (truncated?)")
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(headerEnd + offsets[0])..<(headerEnd + offsets[1])]))
                }
            }
            result.tensors[name] = Entry(shape: shape, values: values)
        }
        return result
    }
}

public struct SafeTensorsError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
