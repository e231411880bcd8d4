import Testing
@testable import DegradeMedia

/// meta_info files in the three forms the frameworks use are read, and written back in any of them.
@Suite struct MetaInfoForms {
    @Test func basicsrMmeditAndMmagicFormsReadToTheSameEntries() throws {
        let basicsr = try MetaInfo.parse("000 3 (36,40,3)\n011 2 (36, 40, 3)\n", path: "b.txt")
        let mmedit = try MetaInfo.parse("000 3\r\n011 2\n", path: "m.txt")
        let mmagic = try MetaInfo.parse("""
            000/00000000.png (36, 40, 3)
            000/00000001.png (36, 40, 3)
            000/00000002.png (36, 40, 3)
            011/00000000.png (36, 40, 3)
            011/00000001.png (36, 40, 3)

            """, path: "a.txt")
        #expect(basicsr.format == .basicsr && mmedit.format == .mmedit && mmagic.format == .mmagic)
        for info in [basicsr, mmedit, mmagic] {
            #expect(info.entries.map(\.key) == ["000", "011"])
            #expect(info.entries.map(\.frameCount) == [3, 2])
        }
        #expect(mmedit.entries[0].width == nil)
        #expect(mmagic.entries[1].frameNames == ["00000000.png", "00000001.png"])
        #expect(basicsr.entries[1].width == 40 && basicsr.entries[1].height == 36)
        // Each writes back in every form, and reads back the same.
        for info in [basicsr, mmagic] {
            for format in MetaInfo.Format.allCases {
                let again = try MetaInfo.parse(info.render(format), path: "x")
                #expect(again.format == format)
                #expect(again.entries.map(\.key) == info.entries.map(\.key) && again.entries.map(\.frameCount) == info.entries.map(\.frameCount))
                if format != .mmedit { #expect(again.entries.map(\.width) == [40, 40]) }
            }
        }
        #expect(basicsr.render(.mmedit) == "000 3\n011 2\n")
        #expect(basicsr.render() == "000 3 (36,40,3)\n011 2 (36,40,3)\n")
    }

    @Test(arguments: [
        ("000 3 (36,40,3)\n000 2 (36,40,3)\n", "b.txt:2", "listed again"),
        ("000/00000000.png (36, 40, 3)\n001/00000000.png (36, 40, 3)\n000/00000001.png (36, 40, 3)\n", "b.txt:3", "listed apart"),
        ("000/00000000.png (36, 40, 3)\n000/00000000.png (36, 40, 3)\n", "b.txt:2", "listed again"),
        ("000/00000000.png (36, 40, 3)\n001 3\n", "b.txt:2", "one form per file"),
        ("000 x (36,40,3)\n", "b.txt:1", "expected"),
        ("000 3 (36,40)\n", "b.txt:1", "size"),
        ("000 3 (36,40,3\n", "b.txt:1", "closing"),
        ("000 3 extra words\n", "b.txt:1", "expected"),
        ("000 -3\n", "b.txt:1", "expected"),
    ])
    func malformedFilesNameTheLine(text: String, at: String, says: String) {
        #expect {
            try MetaInfo.parse(text, path: "b.txt")
        } throws: { error in
            let message = "\(error)"
            return message.contains(at) && message.contains(says)
        }
    }
}
