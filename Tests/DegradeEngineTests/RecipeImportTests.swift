import Foundation
import Testing
@testable import DegradeEngine

/// `RecipeImport` on the fixture configs (modelled on Real-ESRGAN's x4plus options and mmedit's RealBasicVSR
/// stage-1 config): valid recipes, and a report that names every key with its line.
@Suite struct RecipeImporting {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/import").path

    @Test func realESRGANOptions() throws {
        let file = "\(Self.fixtures)/realesrgan_x4plus_options.yml"
        let r = try RecipeImport.run(file)
        let recipe = try RecipeParser.parse(r.recipeText, file: "imported.yaml")
        #expect(recipe.scale == 4 && recipe.clip.frames == 1 && recipe.clip.pairedCrop == 256 && recipe.clip.cropSize == 400)
        #expect(RecipeParser.opCount(recipe.pipeline) == 12)
        // Each key of the file is accounted for once, with its line.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(of key: String) -> Int? { lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") }.map { $0 + 1 } }
        let kernelList2 = try #require(r.notes.first { $0.key == "kernel_list2" })
        #expect(kernelList2.status == .exact && kernelList2.line == line(of: "kernel_list2"))
        let jpeg = try #require(r.notes.first { $0.key == "jpeg_range" })
        #expect(jpeg.status == .different && jpeg.detail.contains("DiffJPEG"))
        let network = try #require(r.notes.first { $0.key == "network_g" })
        #expect(network.status == .unsupported && network.line == line(of: "network_g"))
        #expect(r.notes.contains { $0.key == "l1_gt_usm" && $0.status == .unsupported })
        #expect(r.report.contains("realesrgan_x4plus_options.yml:\(line(of: "final_sinc_prob")!): final_sinc_prob"))
        // The recipe says where each value came from.
        #expect(r.recipeText.contains("datasets.train.blur_sigma2 (line \(line(of: "blur_sigma2")!))"))
    }

    @Test func mmeditConfig() throws {
        let file = "\(Self.fixtures)/realbasicvsr_stage1.py"
        let r = try RecipeImport.run(file)
        let recipe = try RecipeParser.parse(r.recipeText, file: "imported.yaml")
        #expect(recipe.clip.frames == 15 && recipe.clip.cropSize == 256 && recipe.clip.mirror && recipe.clip.lqFromUnsharp)
        guard case let .op(_, .blur(blur)) = recipe.pipeline[5] else { Issue.record("pipeline[5] is not a blur"); return }
        #expect(blur.prob == 0.8 && blur.sigmaX == 0.2...1.5 && blur.rotation == -Double.pi...Double.pi)
        #expect(recipe.scale == 4, "scale comes from the _base_ file")
        #expect(r.notes.contains { $0.key.hasSuffix("RandomBlur.params.rotate_angle") && $0.detail.contains("rotation (renamed)") })
        // `import numpy as np` and the f-string are reported, not evaluated.
        #expect(r.notes.contains { $0.status == .unsupported && $0.line == 4 && $0.detail.contains("not evaluated") })
        #expect(r.notes.contains { $0.status == .unsupported && $0.detail.contains("work_dir") && $0.detail.contains("f-string") })
    }

    @Test func codeInAPythonConfigIsNotRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("import-evil-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let marker = "\(dir)/ran"
        try """
            scale = 4
            __import__('os').system('touch \(marker)')
            train_pipeline = [
                dict(type='RandomNoise', params=dict(noise_type=['gaussian'], noise_prob=[1], gaussian_sigma=[1, 5])),
                dict(type='Quantize'),
            ]
            """.write(toFile: "\(dir)/evil.py", atomically: true, encoding: .utf8)
        let r = try RecipeImport.run("\(dir)/evil.py")
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(r.notes.contains { $0.status == .unsupported && $0.line == 2 && $0.file.hasSuffix("evil.py") })
        // Code where a value is needed is an error with file:line, still without running it.
        try """
            train_pipeline = [dict(type='RandomNoise', params=dict(gaussian_sigma=__import__('os').system('touch \(marker)')))]
            """.write(toFile: "\(dir)/evil2.py", atomically: true, encoding: .utf8)
        let e = try #require(throws: RecipeError.self) { try RecipeImport.run("\(dir)/evil2.py") }
        #expect(e.description.contains("evil2.py:1") && e.description.contains("__import__"), "\(e)")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }
}
