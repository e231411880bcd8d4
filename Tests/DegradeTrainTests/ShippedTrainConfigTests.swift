import DegradeEngine
import Foundation
import Testing
@testable import DegradeTrain

/// The train configs in `recipes/` load, point at recipes that parse, and the held-out config really holds content
/// out: its training and validation inputs share no photograph.
@Suite("shipped train configs")
struct ShippedTrainConfigTests {
    static let recipes = TrainFixtures.repository.appendingPathComponent("recipes").path
    static let splits = TrainFixtures.repository.appendingPathComponent("datasets/splits").path

    @Test("every recipes/train-*.yaml loads and its degradation recipe parses")
    func everyConfigLoads() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.recipes)
            .filter { $0.hasPrefix("train-") && $0.hasSuffix(".yaml") }.sorted()
        #expect(names.contains("train-realbasicvsr-cpu-hour.yaml") && names.count >= 2, "\(names)")
        for name in names {
            let config = try TrainConfigParser.load("\(Self.recipes)/\(name)")
            _ = try RecipeParser.load(config.recipePath)
        }
    }

    @Test("the one-hour config trains on datasets/splits/train and validates on a different set")
    func heldOutSplit() throws {
        let config = try TrainConfigParser.load("\(Self.recipes)/train-realbasicvsr-cpu-hour.yaml")
        let train = try #require(config.data.renderedSet), val = try #require(config.validation.set)
        #expect(train != val)
        let fm = FileManager.default
        func photos(_ folder: String) throws -> Set<String> {
            Set(try fm.contentsOfDirectory(atPath: "\(Self.splits)/\(folder)").map {
                URL(fileURLWithPath: "\(Self.splits)/\(folder)/\($0)").resolvingSymlinksInPath().lastPathComponent
            })
        }
        let (trainPhotos, heldOut) = (try photos("train"), try photos("heldout"))
        #expect(!trainPhotos.isEmpty && !heldOut.isEmpty && trainPhotos.isDisjoint(with: heldOut))
        // Every link resolves to a bundled photograph (a clone keeps the links working).
        for p in trainPhotos.union(heldOut) {
            #expect(fm.fileExists(atPath: TrainFixtures.repository.appendingPathComponent("datasets/sample/\(p)").path), "\(p)")
        }
    }
}
