import Testing
@testable import DegradeAudit

@Suite struct AuditModuleLoads {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
