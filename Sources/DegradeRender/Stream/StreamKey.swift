/// The sample keys of the training stream: `<clip>@e<epoch>` for the first pass over the clips in an epoch and
/// `<clip>@e<epoch>.<pass>` for later passes (an epoch longer than the clip list). `degrade apply --key` accepts
/// them, so any streamed sample can be reproduced on disk.
public enum StreamKey {
    public static func make(clip: String, epoch: Int, pass: Int = 0) -> String {
        pass == 0 ? "\(clip)@e\(epoch)" : "\(clip)@e\(epoch).\(pass)"
    }

    /// The clip a stream key was made from, when `key` has the stream's suffix and its prefix is one of `clips`
    /// (clip keys may themselves contain `@`, e.g. `life@pan`, so only the last `@e` counts).
    public static func clip(of key: String, among clips: Set<String>) -> String? {
        guard let at = key.range(of: "@e", options: .backwards) else { return nil }
        let suffix = key[at.upperBound...]
        let parts = suffix.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        let clip = String(key[..<at.lowerBound])
        return clips.contains(clip) ? clip : nil
    }
}
