import Testing
@testable import DegradeEngine

/// The references' key names accepted in degrade's own recipes.
@Suite struct RecipeKeyAliases {
    static func recipe(_ blur: String) -> String {
        "name: a\npipeline:\n  - blur: {kernel_list: [aniso], \(blur)}\n"
    }

    @Test func mmeditNamesMeanTheSame() throws {
        let aliased = try RecipeParser.parse(Self.recipe("rotate_angle: [-1, 1], rotate_angle_step: 0.2"))
        let native = try RecipeParser.parse(Self.recipe("rotation: [-1, 1], rotation_step: 0.2"))
        #expect(aliased.pipeline == native.pipeline)
    }

    @Test func bothNamesAtOnceIsAnErrorNamingBoth() throws {
        let e = try #require(throws: RecipeError.self) { try RecipeParser.parse(Self.recipe("rotation: [-1, 1], rotate_angle: [-2, 2]"), file: "r.yaml") }
        #expect(e.description.contains("r.yaml:3") && e.description.contains("rotate_angle") && e.description.contains("rotation"), "\(e)")
    }

    @Test func errorsNameTheKeyAsWritten() throws {
        let e = try #require(throws: RecipeError.self) { try RecipeParser.parse(Self.recipe("rotate_angle: [2, 1]")) }
        #expect(e.key == "pipeline[0].blur.rotate_angle", "\(e)")
    }
}
