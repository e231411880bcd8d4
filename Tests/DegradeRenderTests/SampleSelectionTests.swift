import Testing
import DegradeMedia
@testable import DegradeRender

@Suite struct SampleSelectionRules {
    let clips = ["000", "011", "015", "020"].map { ClipInfo(key: $0, frameCount: 10, width: 8, height: 8, origin: "t") }

    @Test func shardsAreDisjointAndCoverEverything() throws {
        var seen: [String] = []
        for i in 1...3 {
            let s = try SampleSelection(repeatCount: 2, shard: (i, 3)).samples(from: clips)
            seen += s.map(\.key)
        }
        #expect(seen.count == 8 && Set(seen).count == 8)
        #expect(Set(seen).contains("015#1"))
    }

    @Test func unknownClipAndEscapingKeysAreRefused() {
        #expect(throws: (any Error).self) { try SampleSelection(clips: ["999"]).samples(from: clips) }
        let bad = [ClipInfo(key: "../x", frameCount: 1, width: 8, height: 8, origin: "t")]
        #expect(throws: (any Error).self) { try SampleSelection().samples(from: bad) }
    }
}
