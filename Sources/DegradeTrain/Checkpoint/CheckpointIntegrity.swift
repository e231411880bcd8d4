import DegradeMedia
import Foundation

/// The checks that make a checkpoint trustworthy: a checksum per tensor file recorded in `state.json`, and only
/// finite values (a non-finite state is never written, so one found on disk was damaged after the fact).
enum CheckpointIntegrity {
    /// The first tensor holding a NaN or ±inf, by name.
    static func firstNonFinite(_ tensors: SafeTensors) -> String? {
        for name in tensors.tensors.keys.sorted() where !tensors.tensors[name]!.values.allSatisfy(\.isFinite) {
            return name
        }
        return nil
    }

    /// Reads `folder/file`, checks it against `checksums[file]` (when the checkpoint records checksums), decodes
    /// it and checks every value is finite.
    /// - Throws: `CheckpointDamage` naming the file and what is wrong.
    static func read(_ folder: String, _ file: String, checksums: [String: String]?) throws -> SafeTensors {
        try read(path: "\(folder)/\(file)", checkpoint: folder, expected: checksums.map { $0[file] ?? "" })
    }

    /// `read` for a path; `expected` nil skips the checksum, "" means the checkpoint has checksums but none for
    /// this file.
    static func read(path: String, checkpoint: String, expected: String?) throws -> SafeTensors {
        func damage(_ why: String) -> CheckpointDamage { CheckpointDamage(checkpoint: checkpoint, "checkpoint file \(path) is corrupt: \(why)") }
        guard FileManager.default.fileExists(atPath: path) else { throw damage("the file is missing") }
        guard let data = FileManager.default.contents(atPath: path) else { throw damage("the file cannot be read (permissions?)") }
        let bytes = [UInt8](data)
        if let expected {
            guard !expected.isEmpty else { throw damage("\(CheckpointStore.stateFile) records no checksum for it") }
            let actual = StableHash.checksum(bytes)
            guard actual == expected else {
                throw damage("checksum \(actual) differs from \(expected) recorded in \(CheckpointStore.stateFile) (bits changed or the file was cut short after it was written)")
            }
        }
        let tensors: SafeTensors
        do { tensors = try SafeTensors.decode(bytes, path: path) } catch let e as SafeTensorsError { throw damage(e.message) }
        if let name = firstNonFinite(tensors) {
            throw damage("tensor \(name) holds non-finite values (NaN or ±inf); degrade writes checkpoints only from a finite state")
        }
        return tensors
    }

    /// `state.json` of `folder`, with a readable reason when it is missing, cut short or malformed.
    static func readState(_ folder: String) throws -> TrainState {
        let path = "\(folder)/\(CheckpointStore.stateFile)"
        func damage(_ why: String) -> CheckpointDamage { CheckpointDamage(checkpoint: folder, "checkpoint file \(path) is corrupt: \(why)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw damage("the file is missing or unreadable") }
        let state: TrainState
        do {
            state = try JSONDecoder().decode(TrainState.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw damage("the key \(key.stringValue) is missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw damage("\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw damage("\(context.codingPath.map(\.stringValue).joined(separator: ".")) is null")
        } catch {
            throw damage("not valid JSON (cut short?)")
        }
        if let expected = state.stateChecksum {
            let actual = try? stateChecksum(state)
            guard actual == expected else {
                throw damage("its values do not match the checksum \(expected) it was written with (changed after it was written)")
            }
        }
        return state
    }

    /// The form `state.json` is written in.
    static func encode(_ state: TrainState) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(state)
    }

    /// The checksum of `state`'s JSON without `stateChecksum`. Decoding and re-encoding gives the same text (integers,
    /// strings and shortest round-trip doubles), so a reader can recompute it from the values it decoded.
    static func stateChecksum(_ state: TrainState) throws -> String {
        var s = state
        s.stateChecksum = nil
        return StableHash.checksum(Array(try encode(s)))
    }
}

/// A checkpoint was not written because a tensor held NaN or ±inf: resuming from it could only skip every step.
struct NonFiniteStateError: Error, CustomStringConvertible, Sendable, Equatable {
    public let iteration: Int
    public let file: String
    public let tensor: String

    public var description: String {
        "iteration \(iteration): no checkpoint written, \(tensor) (\(file)) holds non-finite values"
    }
}
