import Foundation
import Testing
@testable import DegradeTrain

/// The TensorBoard event-file writer: CRC-32C against published check values, the framing read back, and the
/// resume rule (event files pruned past the checkpoint like metrics.jsonl). TensorBoard's own reader is exercised
/// in python/tests/test_tensorboard_events.py.
@Suite struct TensorBoardEventTests {
    @Test func crc32cMatchesKnownVectors() {
        // RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test func recordsFrameAndParseBack() {
        let version = TensorBoardEvents.versionEvent(wallTime: 1.5)
        let scalar = TensorBoardEvents.scalarEvent(wallTime: 2, step: 300, scalars: [("loss_pix", 0.25), ("lr", 1e-4)])
        var file = TensorBoardEvents.record(version) + TensorBoardEvents.record(scalar)
        #expect(TensorBoardEvents.payloads(file) == [version, scalar])
        #expect(TensorBoardEvents.step(ofEvent: version) == nil)
        #expect(TensorBoardEvents.step(ofEvent: scalar) == 300)
        // A torn last record (interrupted append) is dropped, the whole ones kept.
        file += TensorBoardEvents.record(scalar).prefix(20)
        #expect(TensorBoardEvents.payloads(file) == [version, scalar])
        // A flipped bit fails the data CRC.
        file[file.count - 40] ^= 1
        #expect(TensorBoardEvents.payloads(file).count == 1)
    }

    @Test func resumedLogPrunesEventsPastTheCheckpoint() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let log = try MetricsLog(path: dir + "/metrics.jsonl", truncateAfter: 0)
            for it in [1, 2, 3, 4] {
                var r = MetricsRecord(iteration: it)
                r.skipped = it
                log.append(r)
            }
        }
        let first = TensorBoardEventFile.files(in: dir)
        #expect(first.count == 1)
        let steps = { (path: String) in
            TensorBoardEvents.payloads([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
                .compactMap(TensorBoardEvents.step(ofEvent:))
        }
        #expect(steps(first[0]) == [1, 2, 3, 4])
        _ = try MetricsLog(path: dir + "/metrics.jsonl", truncateAfter: 2)
        #expect(steps(first[0]) == [1, 2])
        // A new run in the folder (truncateAfter 0) leaves no old scalars behind.
        _ = try MetricsLog(path: dir + "/metrics.jsonl", truncateAfter: 0)
        #expect(TensorBoardEventFile.files(in: dir).allSatisfy { steps($0).isEmpty })
    }
}
