import Testing
@testable import DegradeOps

@Suite struct OpsModuleLoads {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
