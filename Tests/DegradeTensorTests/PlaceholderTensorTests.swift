import Testing
@testable import DegradeTensor

@Suite struct TensorModuleLoads {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
