import Testing
@testable import DegradeEngine

/// `--set KEY.PATH=VALUE` on the parsed tree: applied before validation, errors named after the option, and the
/// effective text recorded so the recipe identity follows the overrides.
@Suite struct ConfigOverrides {
    static let text = """
        name: o
        frames: 3
        pipeline:
          - blur: {kernel_list: [iso], sigma_x: [0.2, 1]}
          - shuffle:
              - - jpeg: {quality: [30, 40]}
              - quantize
        """

    static func parse(_ sets: [String]) throws -> Recipe {
        try RecipeParser.parse(text, file: "o.yaml", overrides: try ConfigOverride.parse(sets))
    }

    @Test func pathsReachKeysAndListEntries() throws {
        let r = try Self.parse(["pipeline.0.blur.sigma_x=[0.5, 2]", "pipeline[1].shuffle.0.0.jpeg.quality=50", "crop.size=16", "frames=5"])
        guard case let .op(_, .blur(blur)) = r.pipeline[0] else { Issue.record("blur"); return }
        #expect(blur.sigmaX == 0.5...2)
        guard case let .shuffle(_, groups, _) = r.pipeline[1], case let .op(_, .jpeg(jpeg)) = groups[0][0] else { Issue.record("jpeg"); return }
        #expect(jpeg.quality == 50...50)
        #expect(r.clip.cropSize == 16 && r.clip.frames == 5)
    }

    @Test func effectiveTextIsTheIdentity() throws {
        let plain = try Self.parse([])
        #expect(plain.source == Self.text, "without overrides the file's text is kept, so hashes do not move")
        let a = try Self.parse(["frames=5"]), b = try Self.parse(["frames=6"])
        #expect(a.hash != plain.hash && a.hash != b.hash)
        #expect(a.source.contains("--set frames=5"))
        // The recorded text alone gives the same recipe.
        var again = try RecipeParser.parse(a.source, file: "o.yaml")
        again.source = a.source
        #expect(again == a)
    }

    @Test func errorsNameTheOption() throws {
        let bad = try #require(throws: RecipeError.self) { try Self.parse(["frames=5", "pipeline.0.blur.sigma_x=[3, 1]"]) }
        #expect(bad.description.hasPrefix("--set #2 'pipeline.0.blur.sigma_x=[3, 1]': pipeline[0].blur.sigma_x"), "\(bad)")
        let unknown = try #require(throws: RecipeError.self) { try Self.parse(["pipeline.0.blur.sigma_z=1"]) }
        #expect(unknown.description.hasPrefix("--set #1") && unknown.description.contains("unknown key"), "\(unknown)")
        let index = try #require(throws: RecipeError.self) { try Self.parse(["pipeline.7.blur.prob=1"]) }
        #expect(index.description.contains("--set #1") && index.description.contains("past the end"), "\(index)")
        let scalar = try #require(throws: RecipeError.self) { try Self.parse(["name.x=1"]) }
        #expect(scalar.description.contains("not a mapping"), "\(scalar)")
        #expect(throws: RecipeError.self) { try ConfigOverride.parse(["no-equals-sign"]) }
        #expect(throws: RecipeError.self) { try Self.parse(["frames=[unclosed"]) }
        // An error elsewhere in the file keeps its file:line.
        let file = try #require(throws: RecipeError.self) {
            try RecipeParser.parse(Self.text.replacingOccurrences(of: "sigma_x: [0.2, 1]", with: "sigma_x: [2, 1]"), file: "o.yaml",
                                   overrides: try ConfigOverride.parse(["frames=5"]))
        }
        #expect(file.description.hasPrefix("o.yaml:4"), "\(file)")
    }
}
