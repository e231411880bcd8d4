import DegradeEngine
import DegradeMedia

/// The return codes of the C ABI (`include/degrade.h`); 1 and 2 mean what the CLI's exit statuses mean.
enum BridgeStatus: Int32 {
    case ok = 0
    case runtimeFailure = 1
    case badInput = 2
    case outOfRange = 3
    case badHandle = 4
    case badBuffer = 5
}

/// A failure the bridge itself detects, with the code the caller sees.
struct BridgeError: Error, CustomStringConvertible {
    var status: BridgeStatus
    var description: String
    init(_ status: BridgeStatus, _ description: String) {
        self.status = status
        self.description = description
    }

    /// Every Swift error becomes a code and a message: nothing traps or unwinds across the C boundary.
    static func classify(_ error: Error) -> (BridgeStatus, String) {
        switch error {
        case let e as BridgeError: return (e.status, e.description)
        case is InputError, is RecipeError, is MediaError: return (.badInput, "\(error)")
        default: return (.runtimeFailure, "\(error)")
        }
    }
}

/// Writes `message` NUL-terminated into the caller's buffer, cut (on a UTF-8 character boundary) to fit.
func report(_ message: String, into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) {
    guard let buffer, capacity > 0 else { return }
    var bytes: [UInt8] = []
    for scalar in message.unicodeScalars {
        let encoded = Array(String(scalar).utf8)
        guard bytes.count + encoded.count <= capacity - 1 else { break }
        bytes += encoded
    }
    for (i, b) in bytes.enumerated() { buffer[i] = CChar(bitPattern: b) }
    buffer[bytes.count] = 0
}

/// Runs `body`, turning any thrown error into a status and message for C.
func bridged(_ errorBuffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return BridgeStatus.ok.rawValue
    } catch {
        let (status, message) = BridgeError.classify(error)
        report(message, into: errorBuffer, capacity: capacity)
        return status.rawValue
    }
}
