import Foundation

/// Latency and bandwidth of the float sum the trainer's gradient averaging uses, OSU-style: for each message
/// size, a few warm-up calls, then `repeats` timed calls on every rank; the figure is the mean time of one call.
public enum AllreduceBenchmark {
    public struct Point: Sendable {
        public var bytes: Int
        public var microseconds: Double
        /// Algorithm bandwidth, bytes / time (what one rank's buffer moves per second).
        public var gigabytesPerSecond: Double
    }

    public static func run(_ communicator: any Communicator, sizes: [Int] = (2...26).filter { $0 % 2 == 0 }.map { 1 << $0 },
                           repeats: Int = 50) throws -> [Point] {
        var points: [Point] = []
        for bytes in sizes {
            var buffer = [Float](repeating: 1, count: max(1, bytes / 4))
            // Fewer repeats for large messages keeps the sweep to seconds.
            let n = max(5, min(repeats, (1 << 26) / max(1, bytes) * 4))
            try buffer.withUnsafeMutableBufferPointer { b in
                for _ in 0..<3 { try communicator.sum(b) }
            }
            let start = Date()
            try buffer.withUnsafeMutableBufferPointer { b in
                for _ in 0..<n { try communicator.sum(b) }
            }
            let seconds = Date().timeIntervalSince(start) / Double(n)
            points.append(Point(bytes: bytes, microseconds: seconds * 1e6, gigabytesPerSecond: Double(bytes) / seconds / 1e9))
        }
        return points
    }
}
