import Foundation

/// Fault injection for the interruption tests. With `DEGRADE_TEST_KILL_AT_CLIPS=N` in the environment the render
/// SIGKILLs itself the moment the catalog holds N committed clips; with `DEGRADE_TEST_STOP_AT_CLIPS=N` it SIGSTOPs
/// itself there, still holding the output lock. Tests that polled the catalog and signalled the child themselves
/// lost the race on a loaded machine (the child finished first); this lands at the same point every time, while
/// any other worker is still part-way through its clip. Unset, it costs two dictionary lookups per run.
struct RenderKillSwitch: Sendable {
    static let killVariable = "DEGRADE_TEST_KILL_AT_CLIPS"
    static let stopVariable = "DEGRADE_TEST_STOP_AT_CLIPS"
    let kill: Int?, stop: Int?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        kill = environment[Self.killVariable].flatMap(Int.init)
        stop = environment[Self.stopVariable].flatMap(Int.init)
    }

    /// Called with the catalog's committed-clip count right after each commit, under the catalog lock.
    func committed(_ clips: Int) {
        if let kill, clips >= kill { raise(SIGKILL) }
        if let stop, clips == stop { raise(SIGSTOP) }
    }
}
