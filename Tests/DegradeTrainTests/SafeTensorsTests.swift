import Foundation
import Testing
@testable import DegradeTrain

@Suite struct SafeTensorsFormat {
    let sample = SafeTensors(
        tensors: ["conv.weight": .init(shape: [2, 1, 1, 2], values: [1, -2, 3.5, 0.25]), "conv.bias": .init(shape: [2], values: [0.5, -0.5])],
        metadata: ["format": "pt"])

    @Test func roundTrips() throws {
        let bytes = try sample.encoded()
        #expect(try SafeTensors.decode(bytes) == sample)
        #expect(try sample.encoded() == bytes)  // deterministic
    }

    @Test func layoutFollowsTheSpecification() throws {
        let bytes = try sample.encoded()
        let n = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        #expect(n % 8 == 0)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + n)])) as? [String: Any])
        let bias = try #require(header["conv.bias"] as? [String: Any])
        #expect(bias["dtype"] as? String == "F32" && bias["shape"] as? [Int] == [2] && bias["data_offsets"] as? [Int] == [0, 8])
        // little-endian F32 0.5 = 0x3F000000
        #expect(Array(bytes[(8 + n)..<(8 + n + 4)]) == [0, 0, 0, 0x3F])
        #expect(bytes.count == 8 + n + 4 * 6)
    }

    @Test func truncatedAndCorruptFilesAreRefused() throws {
        let bytes = try sample.encoded()
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(Array(bytes.prefix(bytes.count - 3))) }
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(Array(bytes.prefix(5))) }
        var bad = bytes
        bad[9] = 0x5B  // break the JSON
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(bad) }
    }
}
