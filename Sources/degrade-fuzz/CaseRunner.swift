import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How one run of `degrade` ended.
struct RunOutcome {
    var status: Int32?
    var signal: Int32?
    var timedOut: Bool
    var seconds: Double
    var peakRSSBytes: Int
}

/// Starts `degrade` with posix_spawn and reaps it with wait4, so the child's own peak RSS (ru_maxrss) is known;
/// a run past the time limit is killed (SIGKILL to that child only) and reported as timed out.
enum CaseRunner {
    static func run(_ executable: String, _ arguments: [String], in folder: String, timeout: Double) -> RunOutcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "\(folder)/stdout.txt", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "\(folder)/stderr.txt", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        // Started inside the case folder, so relative paths a run writes land there (the fuzzer is single-threaded).
        let home = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(folder)
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        FileManager.default.changeCurrentDirectoryPath(home)
        guard spawned == 0 else {
            return RunOutcome(status: 127, signal: nil, timedOut: false, seconds: 0, peakRSSBytes: 0)
        }
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if !timedOut && Date().timeIntervalSince(start) > timeout {
                kill(pid, SIGKILL)
                timedOut = true
            }
            usleep(5_000)
        }
        let seconds = Date().timeIntervalSince(start)
        let signal = status & 0x7f
        let exited = signal == 0
        return RunOutcome(status: exited ? (status >> 8) & 0xff : nil, signal: exited ? nil : signal, timedOut: timedOut,
                          seconds: seconds, peakRSSBytes: Int(usage.ru_maxrss) * 1024)
    }
}
