import Foundation
import Testing
@testable import DegradeEngine

/// Python configs read as literals: the subset is understood, everything else is reported with its line and
/// never run, and hostile files hit the recipe limits instead of exhausting memory.
@Suite struct PythonConfigReading {
    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pyconfig-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func literalsNamesAndArithmetic() throws {
        let c = try PythonConfig.parse("""
            import numpy as np
            third = 1 / 3.
            big = 300_000
            angles = [-np.pi, np.pi / 3, 2 * math.pi, 3.1416]
            size = (64, 64)
            name = 'real' "basicvsr"
            flags = dict(a=True, b=False, c=None, d=-third, e={'k': [1, 2]}, f=2 ** 3, g=7 // 2, h=7 % 3)
            """, file: "c.py")
        #expect(c["third"] == .number(1.0 / 3.0, integer: false))
        #expect(c["big"] == .number(300_000, integer: true))
        #expect(c["angles"]?.list?.compactMap(\.number) == [-Double.pi, Double.pi / 3, 2 * Double.pi, 3.1416])
        #expect(c["size"]?.list?.compactMap(\.number) == [64, 64])
        #expect(c["name"] == .string("realbasicvsr"))
        let flags = try #require(c["flags"]?.dict)
        #expect(flags["a"] == .bool(true) && flags["b"] == .bool(false) && flags["c"] == PythonValue.none)
        #expect(flags["d"]?.number == -1.0 / 3.0)
        #expect(flags["e"]?.dict?["k"]?.list?.count == 2)
        #expect(flags["f"]?.number == 8 && flags["g"]?.number == 3 && flags["h"]?.number == 1)
        #expect(flags.line(of: "e") == 7)
        // An unsupported entry costs only that entry: the rest of the dict is read.
        let partial = try PythonConfig.parse("root = 'd'\nds = dict(\n    path=f'{root}/x',\n    frames=15)\n", file: "p.py")
        #expect(partial["ds"]?.dict?["frames"]?.number == 15)
        if case let .unsupported(line, _) = partial["ds"]?.dict?["path"] { #expect(line == 3) } else { Issue.record("path should be unsupported") }
        #expect(partial.unsupported.contains { $0.line == 3 && $0.what.contains("f-string") })
        // `import` is outside the subset: reported with its line, not evaluated.
        #expect(c.unsupported.contains { $0.line == 1 && $0.what.contains("not evaluated") })
    }

    @Test func codeIsReportedWithItsLineAndNeverRun() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let marker = "\(dir)/ran"
        let c = try PythonConfig.parse("""
            scale = 4
            __import__('os').system('touch \(marker)')
            x = __import__('os').system('touch \(marker)')
            def f():
                return open('\(marker)', 'w')
            y = [i for i in range(3)]
            z = open('\(marker)', 'w')
            w = f'{scale}'
            train_pipeline = [dict(type='Quantize')]
            """, file: "evil.py")
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(c["scale"]?.number == 4)
        #expect(c["train_pipeline"]?.list?.count == 1)
        let lines = Set(c.unsupported.map(\.line))
        #expect(lines.isSuperset(of: [2, 3, 4, 6, 7, 8]), "\(c.unsupported)")
        #expect(!lines.contains(5), "the def's body belongs to the def statement")
        if case let .unsupported(line, reason) = c["x"] {
            #expect(line == 3 && reason.contains("__import__"))
        } else {
            Issue.record("x should not have been read: \(String(describing: c["x"]))")
        }
    }

    @Test func boundedLikeRecipes() throws {
        // Doubling through names: 2^40 values if expanded.
        var text = "a0 = [1, 2]\n"
        for k in 1...40 { text += "a\(k) = [a\(k - 1), a\(k - 1)]\n" }
        #expect(throws: RecipeError.self) { try PythonConfig.parse(text, file: "bomb.py") }
        // Many uses of a large name in one value are counted before anything is copied.
        let wide = "a = [" + Array(repeating: "1", count: 5000).joined(separator: ", ") + "]\nb = [" + Array(repeating: "a", count: 5000).joined(separator: ", ") + "]\n"
        let e0 = try #require(throws: RecipeError.self) { try PythonConfig.parse(wide, file: "wide.py") }
        #expect(e0.description.contains("wide.py:2") && e0.description.contains("100000 values"), "\(e0)")
        let deep = "x = " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        let e = try #require(throws: RecipeError.self) { try PythonConfig.parse(deep, file: "deep.py") }
        #expect(e.description.contains("deep.py:1") && e.description.contains("nest"))
        let open = try #require(throws: RecipeError.self) { try PythonConfig.parse("a = 1\nb = 'never closed\n", file: "s.py") }
        #expect(open.description.contains("s.py:2"))
    }

    @Test func baseFilesFollowedOnlyInsideTheFolder() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: "\(dir)/cfg", withIntermediateDirectories: true)
        try "scale = 2\nmodel = dict(a=1, b=dict(c=1, d=2))\n".write(toFile: "\(dir)/cfg/base.py", atomically: true, encoding: .utf8)
        try "outside = 1\n".write(toFile: "\(dir)/outside.py", atomically: true, encoding: .utf8)
        try """
            _base_ = ['./base.py', '../outside.py']
            model = dict(b=dict(d=3))
            """.write(toFile: "\(dir)/cfg/main.py", atomically: true, encoding: .utf8)
        let c = try PythonConfig.load("\(dir)/cfg/main.py")
        #expect(c["scale"]?.number == 2)
        let model = try #require(c["model"]?.dict)
        #expect(model["a"]?.number == 1, "keys of the base dict are kept")
        #expect(model["b"]?.dict?["c"]?.number == 1 && model["b"]?.dict?["d"]?.number == 3, "nested dicts merge")
        #expect(c["outside"] == nil)
        #expect(c.unsupported.contains { $0.what.contains("outside the config's folder") && $0.line == 1 })
        // A cycle is an error, not a hang.
        try "_base_ = './main.py'\n".write(toFile: "\(dir)/cfg/base.py", atomically: true, encoding: .utf8)
        #expect(throws: RecipeError.self) { try PythonConfig.load("\(dir)/cfg/main.py") }
    }
}
