import Testing
@testable import DegradeRandom

@Suite struct RandomModuleLoads {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
