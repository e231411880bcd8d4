import Testing
@testable import DegradeEngine

@Suite struct EngineModuleLoads {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
