import DegradeMedia
import Testing
@testable import DegradeEngine

@Suite struct BundledRecipes {
    @Test(arguments: ["realbasicvsr", "realesrgan", "bsrgan", "bicubic", "modern-streaming", "handheld"])
    func parsesAndPlans(_ name: String) throws {
        let recipe = try RecipeFixtures.bundled(name)
        #expect(recipe.name == name)
        let plan = try Planner.plan(recipe: recipe, seed: 1, clip: RecipeFixtures.clip)
        #expect(!plan.steps.isEmpty)
        #expect(plan.lqSizes.count == plan.frameCount)
    }

    @Test func realBasicVSRHasTheReferenceShape() throws {
        let recipe = try RecipeFixtures.bundled("realbasicvsr")
        let plan = try Planner.plan(recipe: recipe, seed: 3, clip: RecipeFixtures.clip)
        #expect(plan.frameCount == 30 && plan.sourceFrames.count == 15)
        #expect(plan.gtSize == FrameDims(width: 256, height: 256))
        #expect(plan.lqSizes.allSatisfy { $0 == FrameDims(width: 64, height: 64) })
        #expect(plan.steps.map(\.kind).filter { $0 != .quantize }.count == 12)  // 4 first order + video + 4 second order + video + resize + sinc
        #expect(plan.shuffles.count == 1 && Set(plan.shuffles[0].order) == [0, 1])
        #expect(plan.steps.last?.op == .quantize)
    }
}

/// Bad recipes give one clear message with file, line, key and the allowed values.
@Suite struct RecipeValidation {
    func failure(_ yaml: String) -> RecipeError? {
        do {
            _ = try RecipeParser.parse(yaml, file: "bad.yaml")
            return nil
        } catch let e as RecipeError {
            return e
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func unknownOpListsTheOps() throws {
        let e = try #require(failure("name: x\npipeline:\n  - blurr: {}\n"))
        #expect(e.line == 3 && e.message.contains("unknown op `blurr`") && e.allowed?.contains("blur") == true)
    }

    @Test func unknownKeyIsNamedWithItsPath() throws {
        let e = try #require(failure("name: x\npipeline:\n  - blur:\n      sigma_X: [1, 2]\n"))
        #expect(e.line == 4 && e.key == "pipeline[0].blur.sigma_X" && e.message == "unknown key")
        #expect(e.allowed?.contains("sigma_x") == true)
    }

    @Test func wrongType() throws {
        let e = try #require(failure("name: x\npipeline:\n  - jpeg:\n      quality: high\n"))
        #expect(e.key == "pipeline[0].jpeg.quality" && e.message.contains("list of numbers"))
    }

    @Test func negativeSigma() throws {
        let e = try #require(failure("name: x\npipeline:\n  - blur:\n      sigma_x: [-1, 2]\n"))
        #expect(e.key == "pipeline[0].blur.sigma_x" && e.message.contains("out of range"))
    }

    @Test func evenKernelSize() throws {
        let e = try #require(failure("name: x\npipeline:\n  - blur:\n      kernel_size: [7, 8]\n"))
        #expect(e.message.contains("odd"))
    }

    @Test func probabilitiesMustSumToOne() throws {
        let e = try #require(failure("name: x\npipeline:\n  - noise:\n      noise_prob: [0.5, 0.6]\n"))
        #expect(e.key == "pipeline[0].noise.noise_prob" && e.message.contains("sum to 1.1"))
        let count = try #require(failure("name: x\npipeline:\n  - blur:\n      kernel_list: [iso, sinc]\n      kernel_prob: [1]\n"))
        #expect(count.message.contains("expected 2 probabilities"))
    }

    @Test func jpegQualityOutsideOneToHundred() throws {
        let e = try #require(failure("name: x\npipeline:\n  - jpeg:\n      quality: [0, 101]\n"))
        #expect(e.message.contains("out of range") && e.allowed?.contains("1…100") == true)
    }

    @Test func unknownCodec() throws {
        let e = try #require(failure("name: x\npipeline:\n  - video:\n      codec: [libx264, realvideo]\n"))
        #expect(e.line == 4 && e.message.contains("realvideo") && e.allowed?.contains("libx265") == true)
    }

    @Test func yamlSyntaxErrorHasALine() throws {
        let e = try #require(failure("name: x\npipeline:\n  - blur: {sigma_x: [1, 2}\n"))
        #expect(e.line == 3 && e.message.contains("YAML syntax error"))
    }

    @Test func missingPipelineAndName() throws {
        #expect(failure("name: x\n")?.message.contains("pipeline") == true)
        #expect(failure("pipeline: []\n")?.key == "name")
    }

    @Test func shuffleIndicesAreChecked() throws {
        let e = try #require(failure("name: x\npipeline:\n  - shuffle:\n      items: [quantize, clip]\n      keep_before: [[0, 5]]\n"))
        #expect(e.key.contains("keep_before"))
    }

    @Test func noExpressionIsEvaluated() throws {
        // Only numbers and π-multiples are numbers; anything else is rejected, never run.
        let e = try #require(failure("name: x\npipeline:\n  - blur:\n      rotation: [\"__import__('os')\", 1]\n"))
        #expect(e.message.contains("expected a number"))
        let ok = try RecipeParser.parse("name: x\npipeline:\n  - blur:\n      rotation: [-pi/2, 2pi/3]\n")
        guard case let .op(_, .blur(spec)) = ok.pipeline[0] else { Issue.record("not a blur"); return }
        #expect(abs(spec.rotation.lowerBound + .pi / 2) < 1e-12 && abs(spec.rotation.upperBound - 2 * .pi / 3) < 1e-12)
    }
}
